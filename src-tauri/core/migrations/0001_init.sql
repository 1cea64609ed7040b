-- The member registry's first schema. Applied files are never edited: later changes go into
-- new files (0002_...), applied in order by db::migrate.

CREATE TABLE member (
    id              INTEGER PRIMARY KEY,
    member_no       TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL CHECK (name <> ''),
    name_en         TEXT    NOT NULL DEFAULT '',
    kind            TEXT    NOT NULL CHECK (kind IN ('enterprise', 'industry_organisation',
                        'research_institute', 'industrial_park', 'public_institution', 'other')),
    origin          TEXT    NOT NULL CHECK (origin IN ('domestic', 'overseas')),
    region          TEXT    NOT NULL DEFAULT '',
    city            TEXT    NOT NULL DEFAULT '',
    uscc            TEXT    CHECK (uscc IS NULL OR length(uscc) = 18),
    registration_no TEXT,
    address         TEXT    NOT NULL DEFAULT '',
    website         TEXT    NOT NULL DEFAULT '',
    head_name       TEXT    NOT NULL DEFAULT '',
    head_title      TEXT    NOT NULL DEFAULT '',
    head_phone      TEXT    NOT NULL DEFAULT '',
    head_email      TEXT    NOT NULL DEFAULT '',
    intro           TEXT    NOT NULL DEFAULT '',
    tier            TEXT    NOT NULL CHECK (tier IN ('ordinary', 'presidium')),
    founding        INTEGER NOT NULL DEFAULT 0 CHECK (founding IN (0, 1)),
    status          TEXT    NOT NULL CHECK (status IN ('active', 'withdrawn', 'expelled')),
    joined          TEXT,
    notes           TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    -- Raised by every update; a save that saw an older revision is refused (no lost updates).
    revision        INTEGER NOT NULL DEFAULT 1,
    CHECK (founding = 0 OR tier = 'presidium')
);

-- Two live members never share a code (charter-rules: "Who is a member").
CREATE UNIQUE INDEX member_uscc_live ON member (uscc)
    WHERE uscc IS NOT NULL AND status = 'active';
CREATE INDEX member_uscc ON member (uscc);
CREATE INDEX member_joined ON member (joined);

-- Liaison persons (联络员, Art. 12(1)5): one current row (until IS NULL) and the history.
CREATE TABLE liaison (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id),
    name      TEXT    NOT NULL,
    title     TEXT    NOT NULL DEFAULT '',
    phone     TEXT    NOT NULL DEFAULT '',
    email     TEXT    NOT NULL DEFAULT '',
    since     TEXT    NOT NULL,
    until     TEXT
);
CREATE UNIQUE INDEX liaison_current ON liaison (member_id) WHERE until IS NULL;
CREATE INDEX liaison_member ON liaison (member_id, since);

-- Two full-text indexes over the same folded text (names, codes, liaison, city), rewritten
-- with the member in the same transaction. Trigrams serve queries of three characters or
-- more. One- and two-character queries (short Chinese names and cities are common) cannot use
-- trigrams, so member_chars indexes every character as its own token and such a query becomes
-- a phrase of one or two tokens.
CREATE VIRTUAL TABLE member_fts USING fts5 (
    text, tokenize = 'trigram', content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE member_chars USING fts5 (
    text, tokenize = 'unicode61', content = '', contentless_delete = 1
);

-- Every create, update and status change: when, who (the OS user), and each field's before
-- and after as JSON. Rows are only ever inserted.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    member_id INTEGER REFERENCES member (id),
    action    TEXT    NOT NULL,
    summary   TEXT    NOT NULL DEFAULT '',
    changes   TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_member ON audit (member_id, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are never deleted'); END;
CREATE TRIGGER liaison_no_delete BEFORE DELETE ON liaison
BEGIN SELECT RAISE(ABORT, 'liaison history is never deleted'); END;
CREATE TRIGGER member_no_delete BEFORE DELETE ON member
BEGIN SELECT RAISE(ABORT, 'member records are never deleted'); END;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
