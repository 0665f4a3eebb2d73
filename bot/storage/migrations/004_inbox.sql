-- Updates Telegram delivered, kept from the moment they arrive until they are handled
-- (bot/runtime/inbox.py): a killed process replays them on start instead of losing them.
CREATE TABLE inbox (
    seq        INTEGER PRIMARY KEY,      -- arrival order: replayed in this order
    update_id  INTEGER NOT NULL UNIQUE,
    payload    TEXT NOT NULL CHECK (json_valid(payload))
);
