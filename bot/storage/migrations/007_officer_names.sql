-- The duty officers' workbench (issue 15): cards and histories name the officer who acted.
-- Officers see each other's first names; citizens never do. A row is written when an officer
-- acts (first name as Telegram gives it), so nothing is asked of Telegram to draw a card.
CREATE TABLE officer_names (
    user_id              INTEGER PRIMARY KEY,
    first_name           TEXT    NOT NULL CHECK (first_name <> ''),
    seen_at              TEXT    NOT NULL
);
