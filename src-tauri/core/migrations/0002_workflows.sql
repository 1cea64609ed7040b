-- The charter's workflows (Art. 8-13): applications, membership periods, certificates,
-- presidium motions and terms, the chair rotation, activities, attendance and excused absences.
-- Like 0001, this file is never edited once applied.

-- The normalised name (half-width, lower case, no spaces or punctuation) that the duplicate
-- guard compares. Written by the program with every insert and update; rows from 0001 are
-- filled in by the program right after this migration (db::backfill_name_keys).
ALTER TABLE member ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX member_name_key ON member (name_key);

-- Periods of membership (Art. 10(3): from the approval date; Art. 13: until leaving). A unit
-- that leaves and is admitted again keeps its record and number and gets a new period.
-- A period covers [since, until): on the day it ends the unit is no longer a member.
CREATE TABLE membership (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES member (id),
    since        TEXT    NOT NULL,
    until        TEXT,
    until_reason TEXT    CHECK (until_reason IN ('withdrawal', 'deemed_withdrawal', 'expulsion')),
    until_note   TEXT    NOT NULL DEFAULT '',
    CHECK ((until IS NULL) = (until_reason IS NULL)),
    CHECK (until IS NULL OR until >= since)
);
CREATE UNIQUE INDEX membership_open ON membership (member_id) WHERE until IS NULL;
CREATE INDEX membership_member ON membership (member_id, since);

INSERT INTO membership (member_id, since, until, until_reason)
SELECT id,
       coalesce(joined, substr(created_at, 1, 10)),
       CASE status WHEN 'active' THEN NULL
            ELSE max(coalesce(joined, substr(created_at, 1, 10)), substr(updated_at, 1, 10)) END,
       CASE status WHEN 'withdrawn' THEN 'withdrawal' WHEN 'expelled' THEN 'expulsion' END
FROM member;

-- Applications to join (入盟申请, Art. 9-10). The applicant's details are the member form's
-- fields, kept as the JSON of a MemberInput so that approval turns them into a member with the
-- same validation; name_key and uscc are copied out for the duplicate guard.
CREATE TABLE application (
    id                 INTEGER PRIMARY KEY,
    applicant          TEXT    NOT NULL,
    name               TEXT    NOT NULL CHECK (name <> ''),
    name_key           TEXT    NOT NULL,
    uscc               TEXT,
    charter_accepted   INTEGER NOT NULL CHECK (charter_accepted IN (0, 1)),
    received           TEXT    NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('received', 'under_review', 'approved',
                           'rejected', 'withdrawn')),
    -- The member this application made (or, for a unit applying again, re-admitted).
    member_id          INTEGER REFERENCES member (id),
    certificate_id     INTEGER REFERENCES certificate (id),
    reason             TEXT    NOT NULL DEFAULT '',
    -- For a unit that was expelled: the presidium decision that allows it back in.
    presidium_decision TEXT    NOT NULL DEFAULT '',
    notice_sent        TEXT,
    notes              TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    revision           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX application_state ON application (state, received);
CREATE INDEX application_uscc ON application (uscc);
CREATE INDEX application_name_key ON application (name_key);

-- Recommending members (Art. 9(1)): at least one, each a member on the received date.
CREATE TABLE recommendation (
    application_id INTEGER NOT NULL REFERENCES application (id),
    member_id      INTEGER NOT NULL REFERENCES member (id),
    PRIMARY KEY (application_id, member_id)
);

-- Every state an application passed through, dated; only ever inserted.
CREATE TABLE application_event (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id),
    state          TEXT    NOT NULL,
    on_date        TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    at             TEXT    NOT NULL,
    actor          TEXT    NOT NULL
);
CREATE INDEX application_event_by ON application_event (application_id, id);

-- Membership certificates (成员证书, Art. 10(3)). Numbers are unique forever: a revoked
-- certificate keeps its number and its row.
CREATE TABLE certificate (
    id            INTEGER PRIMARY KEY,
    number        TEXT    NOT NULL UNIQUE,
    member_id     INTEGER NOT NULL REFERENCES member (id),
    membership_id INTEGER NOT NULL REFERENCES membership (id),
    issued        TEXT    NOT NULL,
    revoked       TEXT,
    revoked_note  TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX certificate_valid ON certificate (member_id) WHERE revoked IS NULL;

-- Files kept with an application or a member: licence scans, introductions, withdrawal
-- notices, the secretariat's report behind an expulsion. The bytes live in the data folder
-- under attachments/, named by the stored_name; this row says what they are.
CREATE TABLE attachment (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER REFERENCES application (id),
    member_id      INTEGER REFERENCES member (id),
    motion_id      INTEGER REFERENCES motion (id),
    purpose        TEXT    NOT NULL CHECK (purpose IN ('licence', 'introduction',
                       'withdrawal_notice', 'expulsion_report', 'other')),
    file_name      TEXT    NOT NULL,
    stored_name    TEXT    NOT NULL UNIQUE,
    media_type     TEXT    NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    added_at       TEXT    NOT NULL,
    actor          TEXT    NOT NULL
);
CREATE INDEX attachment_application ON attachment (application_id);
CREATE INDEX attachment_member ON attachment (member_id);

-- Periods in the presidium (Art. 8): founding initiators from their joining, others from the
-- vote that admitted them, until they leave. Votes count the members in office on the day.
CREATE TABLE presidium_term (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id),
    since     TEXT    NOT NULL,
    until     TEXT,
    basis     TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX presidium_term_open ON presidium_term (member_id) WHERE until IS NULL;

INSERT INTO presidium_term (member_id, since, until, basis)
SELECT m.id, ms.since, ms.until, CASE m.founding WHEN 1 THEN 'founding' ELSE 'recorded' END
FROM member m JOIN membership ms ON ms.member_id = m.id
WHERE m.tier = 'presidium';

-- Presidium votes: admission to the presidium (Art. 8) and expulsion (Art. 13(2)). The result
-- is computed from the votes and stored with them, as it was on the day.
CREATE TABLE motion (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('admission', 'expulsion')),
    member_id  INTEGER NOT NULL REFERENCES member (id),
    vote_date  TEXT    NOT NULL,
    report     TEXT    NOT NULL DEFAULT '',
    in_office  INTEGER NOT NULL,
    yes        INTEGER NOT NULL,
    no         INTEGER NOT NULL,
    abstain    INTEGER NOT NULL,
    passed     INTEGER NOT NULL CHECK (passed IN (0, 1)),
    at         TEXT    NOT NULL,
    actor      TEXT    NOT NULL
);
CREATE INDEX motion_member ON motion (member_id);

CREATE TABLE nomination (
    motion_id INTEGER NOT NULL REFERENCES motion (id),
    member_id INTEGER NOT NULL REFERENCES member (id),
    PRIMARY KEY (motion_id, member_id)
);

CREATE TABLE vote (
    motion_id INTEGER NOT NULL REFERENCES motion (id),
    member_id INTEGER NOT NULL REFERENCES member (id),
    choice    TEXT    NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'absent')),
    PRIMARY KEY (motion_id, member_id)
);

-- The rotating chair (轮值主席, Art. 8): the order, and the terms served.
CREATE TABLE rotation (
    member_id INTEGER PRIMARY KEY REFERENCES member (id),
    position  INTEGER NOT NULL
);
INSERT INTO rotation (member_id, position)
SELECT id, row_number() OVER (ORDER BY founding DESC, member_no)
FROM member WHERE tier = 'presidium' AND status = 'active';

CREATE TABLE chair_term (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id),
    since     TEXT    NOT NULL UNIQUE,
    until     TEXT    NOT NULL,
    CHECK (until > since)
);

-- Activities (Art. 11-12) and who attended them.
CREATE TABLE activity (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('annual_meeting', 'presidium_meeting', 'training',
                   'exchange', 'exhibition', 'international_cooperation', 'other')),
    title      TEXT    NOT NULL CHECK (title <> ''),
    date       TEXT    NOT NULL,
    place      TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    actor      TEXT    NOT NULL
);
CREATE INDEX activity_date ON activity (date);

CREATE TABLE attendance (
    activity_id INTEGER NOT NULL REFERENCES activity (id),
    member_id   INTEGER NOT NULL REFERENCES member (id),
    person      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX attendance_member ON attendance (member_id);

-- Excused absences (Art. 13(1) "without a valid reason"): periods the watch-list skips.
CREATE TABLE excused (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id),
    since     TEXT    NOT NULL,
    until     TEXT    NOT NULL,
    reason    TEXT    NOT NULL CHECK (reason <> ''),
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    CHECK (until >= since)
);
CREATE INDEX excused_member ON excused (member_id);

-- Records that are history: never deleted, and a vote is never changed after the fact.
CREATE TRIGGER membership_no_delete BEFORE DELETE ON membership
BEGIN SELECT RAISE(ABORT, 'membership periods are never deleted'); END;
CREATE TRIGGER application_no_delete BEFORE DELETE ON application
BEGIN SELECT RAISE(ABORT, 'applications are never deleted'); END;
CREATE TRIGGER application_event_no_change BEFORE UPDATE ON application_event
BEGIN SELECT RAISE(ABORT, 'application events are never changed'); END;
CREATE TRIGGER application_event_no_delete BEFORE DELETE ON application_event
BEGIN SELECT RAISE(ABORT, 'application events are never deleted'); END;
CREATE TRIGGER certificate_no_delete BEFORE DELETE ON certificate
BEGIN SELECT RAISE(ABORT, 'certificates are never deleted'); END;
CREATE TRIGGER motion_no_change BEFORE UPDATE ON motion
BEGIN SELECT RAISE(ABORT, 'a recorded vote is never changed'); END;
CREATE TRIGGER motion_no_delete BEFORE DELETE ON motion
BEGIN SELECT RAISE(ABORT, 'a recorded vote is never deleted'); END;
CREATE TRIGGER vote_no_change BEFORE UPDATE ON vote
BEGIN SELECT RAISE(ABORT, 'a recorded vote is never changed'); END;
CREATE TRIGGER vote_no_delete BEFORE DELETE ON vote
BEGIN SELECT RAISE(ABORT, 'a recorded vote is never deleted'); END;
CREATE TRIGGER presidium_term_no_delete BEFORE DELETE ON presidium_term
BEGIN SELECT RAISE(ABORT, 'presidium terms are never deleted'); END;
