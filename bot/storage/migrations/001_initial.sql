-- Kawan's first schema.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ' (bot/storage/db.py format_utc): they sort as text.
-- Personal fields are nullable: erasure (/hapusdata, the retention purge) sets them to NULL and
-- keeps the case shell (ref, kind, category, urgent, status, times) for anonymous statistics.
-- Not STRICT tables: that needs SQLite 3.37, older than some servers still ship.

CREATE TABLE users (
    user_id              INTEGER PRIMARY KEY,  -- Telegram user id (= their private chat id)
    locale               TEXT,     -- chosen with /bahasa; NULL: follow Telegram's language
    created_at           TEXT    NOT NULL,
    last_seen_at         TEXT    NOT NULL,
    contact_policy       TEXT    NOT NULL DEFAULT 'any'
                         CHECK (contact_policy IN ('any', 'safe_hours', 'never_first')),
    safe_hours_from      INTEGER CHECK (safe_hours_from BETWEEN 0 AND 23),  -- Asia/Phnom_Penh
    safe_hours_to        INTEGER CHECK (safe_hours_to BETWEEN 0 AND 23),
    autodelete_minutes   INTEGER CHECK (autodelete_minutes > 0),  -- NULL: off
    blocked_at           TEXT,     -- an officer's /blokir
    blocked_by           INTEGER,
    bot_blocked_at       TEXT,     -- the user blocked the bot (Telegram answered Forbidden)
    consent_withdrawn_at TEXT,
    CHECK ((contact_policy = 'safe_hours')
           = (safe_hours_from IS NOT NULL AND safe_hours_to IS NOT NULL)),
    CHECK ((blocked_at IS NULL) = (blocked_by IS NULL))
);

CREATE INDEX users_with_autodelete ON users (user_id) WHERE autodelete_minutes IS NOT NULL;

CREATE TABLE cases (
    id                   INTEGER PRIMARY KEY,
    ref                  TEXT    NOT NULL
                         CHECK (ref GLOB 'KWN-[0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z]'),
    user_id              INTEGER REFERENCES users (user_id),  -- NULL once erased
    chat_id              INTEGER,
    kind                 TEXT    NOT NULL CHECK (kind IN ('self', 'relative', 'offer')),
    category             TEXT    NOT NULL,
    urgent               INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    status               TEXT    NOT NULL DEFAULT 'baru'
                         CHECK (status IN ('baru', 'diambil', 'menunggu', 'dirujuk', 'selesai')),
    locale               TEXT    NOT NULL,
    safe_to_talk         INTEGER CHECK (safe_to_talk IN (0, 1)),
    location_text        TEXT,     -- coarse: city, province or landmark
    exact_lat            REAL    CHECK (exact_lat BETWEEN -90 AND 90),  -- only if offered
    exact_lon            REAL    CHECK (exact_lon BETWEEN -180 AND 180),
    contact_policy       TEXT    CHECK (contact_policy IN ('any', 'safe_hours', 'never_first')),
    safe_hours_from      INTEGER CHECK (safe_hours_from BETWEEN 0 AND 23),
    safe_hours_to        INTEGER CHECK (safe_hours_to BETWEEN 0 AND 23),
    description          TEXT,
    relative_json        TEXT    CHECK (relative_json IS NULL OR json_valid(relative_json)),
    consent_text_version TEXT    NOT NULL,
    consent_at           TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    claimed_by           INTEGER,  -- officer; never shown to the citizen
    claimed_at           TEXT,
    first_reply_at       TEXT,
    referred_to          TEXT,
    closed_at            TEXT,
    linked_case_id       INTEGER REFERENCES cases (id),  -- the closed case this one follows
    thread_id            INTEGER,  -- forum topic in the officers' chat
    card_message_id      INTEGER,  -- the case message in the officers' chat
    erased_at            TEXT,
    CHECK ((exact_lat IS NULL) = (exact_lon IS NULL)),
    CHECK ((status = 'selesai') = (closed_at IS NOT NULL)),
    CHECK ((claimed_by IS NULL) = (claimed_at IS NULL)),
    CHECK (contact_policy IS NOT 'safe_hours'
           OR (safe_hours_from IS NOT NULL AND safe_hours_to IS NOT NULL))
);

CREATE UNIQUE INDEX cases_by_ref ON cases (ref);
-- /antrian: open cases, urgent first, then oldest first. Partial, so closed cases cost nothing.
CREATE INDEX cases_open_queue ON cases (urgent DESC, created_at, id) WHERE status <> 'selesai';
CREATE INDEX cases_by_user ON cases (user_id, id);
CREATE INDEX cases_by_created ON cases (created_at);
-- Retention purge: closed cases not yet erased.
CREATE INDEX cases_closed_unerased ON cases (closed_at) WHERE erased_at IS NULL;
-- Not unique: a re-created officers' group may reuse topic and message ids.
CREATE INDEX cases_by_thread ON cases (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX cases_by_card ON cases (card_message_id) WHERE card_message_id IS NOT NULL;

-- Append-only audit. `detail` is a machine value (a status, a media kind) kept on erasure;
-- `body` is free text and erased with the case.
CREATE TABLE case_events (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases (id),
    at                   TEXT    NOT NULL,
    actor                TEXT    NOT NULL CHECK (actor IN ('citizen', 'officer', 'system')),
    actor_id             INTEGER,
    kind                 TEXT    NOT NULL CHECK (kind <> ''),
    detail               TEXT,
    body                 TEXT
);

CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- The only change allowed is erasure: clearing a body, or a citizen's id.
CREATE TRIGGER case_events_erase_only BEFORE UPDATE ON case_events
WHEN NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.at IS NOT OLD.at
  OR NEW.actor IS NOT OLD.actor OR NEW.kind IS NOT OLD.kind OR NEW.detail IS NOT OLD.detail
  OR (NEW.body IS NOT NULL AND NEW.body IS NOT OLD.body)
  OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
BEGIN SELECT RAISE(ABORT, 'case_events is append-only (erasure may only clear)'); END;

CREATE TABLE case_media (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases (id),
    kind                 TEXT    NOT NULL CHECK (kind <> ''),  -- photo, document, voice, …
    file_id              TEXT    NOT NULL,
    caption              TEXT,
    created_at           TEXT    NOT NULL
);

CREATE INDEX case_media_by_case ON case_media (case_id, id);

-- Durable outbox: a row is written in the same transaction as what it announces.
CREATE TABLE outbox (
    id                   INTEGER PRIMARY KEY,
    kind                 TEXT    NOT NULL CHECK (kind <> ''),  -- case_new, case_update, to_citizen, …
    case_id              INTEGER REFERENCES cases (id),
    target_chat_id       INTEGER NOT NULL,
    payload              TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    created_at           TEXT    NOT NULL,
    due_at               TEXT    NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error           TEXT,     -- an error class or status, never message text
    delivered_at         TEXT,
    failed_at            TEXT,     -- given up (e.g. the user blocked the bot)
    held                 INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),  -- until next contact
    result_message_id    INTEGER
);

CREATE INDEX outbox_pending ON outbox (due_at, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL AND held = 0;
CREATE INDEX outbox_by_target ON outbox (target_chat_id);
CREATE INDEX outbox_by_case ON outbox (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

-- Every message of both sides of a private chat, for /hapus and auto-delete (bots may delete
-- private messages younger than 48 hours). Ids and times only, never text.
CREATE TABLE chat_messages (
    chat_id              INTEGER NOT NULL,
    message_id           INTEGER NOT NULL,
    direction            TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    sent_at              TEXT    NOT NULL,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;

CREATE INDEX chat_messages_by_time ON chat_messages (sent_at);

-- Which case a message belongs to: officers' side (case card, relayed citizen messages) so a
-- reply finds its case; citizen side (relayed "KBRI" messages) so the citizen's reply does too.
CREATE TABLE relay_links (
    chat_id              INTEGER NOT NULL,
    message_id           INTEGER NOT NULL,
    case_id              INTEGER NOT NULL REFERENCES cases (id),
    side                 TEXT    NOT NULL CHECK (side IN ('officers', 'citizen')),
    created_at           TEXT    NOT NULL,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;

CREATE INDEX relay_links_by_case ON relay_links (case_id);

