-- The officers' workbench (issue 15): saved replies (/templat, /t, "Minta info").
-- `name` is lower case (a-z, 0-9, _ and -); `for_info`: offered on the "Ask for info" button.
CREATE TABLE reply_templates (
    name                 TEXT    PRIMARY KEY CHECK (name GLOB '[a-z0-9]*' AND length(name) <= 32),
    body                 TEXT    NOT NULL CHECK (body <> ''),
    for_info             INTEGER NOT NULL DEFAULT 0 CHECK (for_info IN (0, 1)),
    saved_by             INTEGER NOT NULL,
    saved_at             TEXT    NOT NULL
);
