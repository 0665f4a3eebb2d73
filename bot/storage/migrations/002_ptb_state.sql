-- PTB persistence (bot/storage/persistence.py): conversation states and user_data as JSON.
-- user_data holds half-filled help requests: erasure deletes a user's rows here too.
CREATE TABLE ptb_state (
    kind   TEXT NOT NULL,   -- 'user_data' or 'conversation:<name>'
    key    TEXT NOT NULL,   -- the user id, or a conversation key as a JSON list
    value  TEXT NOT NULL CHECK (json_valid(value)),
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
