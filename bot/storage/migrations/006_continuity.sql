-- Staying with people over time: safety check-ins, case recovery, advisories (issue 17).

-- One row per person who opted in to check-ins (/checkin). The duress word is stored only as a
-- salted scrypt hash; `note` is what they wrote when opting in (shown to officers on an alert).
CREATE TABLE checkins (
    user_id              INTEGER PRIMARY KEY,
    chat_id              INTEGER NOT NULL,
    interval_minutes     INTEGER NOT NULL CHECK (interval_minutes > 0),
    duress_hash          TEXT,
    note                 TEXT,
    locale               TEXT    NOT NULL,
    started_at           TEXT    NOT NULL,
    last_ok_at           TEXT    NOT NULL,
    -- 0: waiting for the period to end; 1: first prompt sent; 2: second prompt sent;
    -- 3: the officers were alerted (stays until the person answers or stops).
    stage                INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 3),
    due_at               TEXT    NOT NULL  -- when the next step is due
);

CREATE INDEX checkins_due ON checkins (due_at) WHERE stage < 3;

-- The history officers see on an alert: ok, prompt, reminder, missed, duress, started.
CREATE TABLE checkin_log (
    id                   INTEGER PRIMARY KEY,
    user_id              INTEGER NOT NULL,
    at                   TEXT    NOT NULL,
    kind                 TEXT    NOT NULL CHECK (kind <> '')
);

CREATE INDEX checkin_log_by_user ON checkin_log (user_id, id);

-- A case's recovery phrase (salted scrypt hash), wrong tries and the lock after five.
CREATE TABLE case_recovery (
    case_id              INTEGER PRIMARY KEY REFERENCES cases (id),
    phrase_hash          TEXT    NOT NULL,
    failures             INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_at            TEXT
);

-- A request from another account to take a case over, decided by an officer.
CREATE TABLE recovery_requests (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases (id),
    new_user_id          INTEGER NOT NULL,
    new_chat_id          INTEGER NOT NULL,
    locale               TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    decided_at           TEXT,
    decided_by           INTEGER,
    decision             TEXT    CHECK (decision IN ('approved', 'rejected'))
);

CREATE INDEX recovery_requests_by_case ON recovery_requests (case_id, id);

-- Every /pulihkan try per account, for the per-account rate limit (ids and times only).
CREATE TABLE recovery_attempts (
    user_id              INTEGER NOT NULL,
    at                   TEXT    NOT NULL
);

CREATE INDEX recovery_attempts_by_user ON recovery_attempts (user_id, at);

-- People who asked for advisories (/langganan).
CREATE TABLE subscribers (
    user_id              INTEGER PRIMARY KEY,
    chat_id              INTEGER NOT NULL,
    locale               TEXT    NOT NULL,
    created_at           TEXT    NOT NULL
);

-- An advisory (/siaran): drafted, confirmed (its outbox rows written in the same
-- transaction), cancelled or finished; progress is one message in the officers' group.
CREATE TABLE advisories (
    id                   INTEGER PRIMARY KEY,
    body                 TEXT    NOT NULL,
    created_by           INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    confirmed_at         TEXT,
    cancelled_at         TEXT,
    finished_at          TEXT,
    total                INTEGER NOT NULL DEFAULT 0,
    progress_chat_id     INTEGER,
    progress_message_id  INTEGER,
    progress_shown       TEXT      -- the progress text last shown (edit only on change)
);
