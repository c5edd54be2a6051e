-- taizhang ledger schema, version 13.
-- This file is the one source of the schema: the binary embeds it and applies it to a new
-- ledger. Later versions arrive as ordered upgrade steps in src/db/schema.rs.

-- Settings of the ledger itself (outline period, creation time).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A source document, such as a yearly report, that tasks were imported from.
CREATE TABLE document (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    issuer      TEXT,
    issued_on   TEXT,
    report_year INTEGER,
    plan_year   INTEGER,
    sha256      TEXT NOT NULL UNIQUE,
    path        TEXT,
    text        TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE task (
    -- AUTOINCREMENT: an id is never reused, even after the highest task is gone from a restore.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ref           TEXT UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('commitment', 'shortcoming', 'achievement', 'task')),
    title         TEXT NOT NULL CHECK (length(title) > 0),
    body          TEXT,
    area          TEXT,
    outline_area  TEXT CHECK (outline_area IS NULL OR outline_area GLOB 'FZ[0-9][0-9]'),
    owner         TEXT,
    -- The co-owners as a JSON array of unit names, in the order given.
    co_owners     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(co_owners)),
    status        TEXT NOT NULL DEFAULT 'todo'
                  CHECK (status IN ('todo', 'doing', 'blocked', 'done', 'verified', 'cancelled')),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    deadline      TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    deadline_text TEXT,
    year          INTEGER NOT NULL,
    parent_id     INTEGER REFERENCES task(id),
    document_id   INTEGER REFERENCES document(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    completed_at  TEXT
);

-- Indexes that serve the filters and groupings of list, report and warn. Each grouping column
-- leads an index that also holds status, deadline and progress, so that the progress table
-- is counted from the index alone, in group order, without reading the (wide) task rows.
CREATE INDEX task_status   ON task(status, deadline, progress, created_at);
CREATE INDEX task_deadline ON task(deadline);
CREATE INDEX task_owner    ON task(owner, status, deadline, progress);
CREATE INDEX task_area     ON task(area, status, deadline, progress);
CREATE INDEX task_year     ON task(year, status, deadline, progress);
CREATE INDEX task_kind     ON task(kind, status, deadline, progress);
CREATE INDEX task_outline_area ON task(outline_area, status, deadline, progress);
CREATE INDEX task_parent   ON task(parent_id, status, progress) WHERE parent_id IS NOT NULL;
CREATE INDEX task_document ON task(document_id) WHERE document_id IS NOT NULL;

-- Running counts behind the unfiltered progress table (src/db/tally.rs): per grouping
-- ('area', 'owner', 'status', 'kind', 'year', 'outline-area'), key (char(0) for none) and
-- status, how many tasks and the sum of their shown progress. Kept by the writing code in
-- the same transaction as each change, rebuilt by bulk imports, proved by `check`.
CREATE TABLE tally (
    grouping TEXT NOT NULL,
    key      TEXT NOT NULL,
    status   TEXT NOT NULL,
    n        INTEGER NOT NULL,
    progress REAL NOT NULL,
    -- The lowest task id ever counted here: areas are listed in the order they first came.
    first    INTEGER NOT NULL,
    PRIMARY KEY (grouping, key, status)
) WITHOUT ROWID;

-- A commitment (or task) that addresses a shortcoming. Many to many.
CREATE TABLE link (
    task_id        INTEGER NOT NULL REFERENCES task(id),
    shortcoming_id INTEGER NOT NULL REFERENCES task(id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (task_id, shortcoming_id),
    CHECK (task_id <> shortcoming_id)
) WITHOUT ROWID;
CREATE INDEX link_shortcoming ON link(shortcoming_id);

-- One command that changed the ledger: the unit of undo. An undo is itself a change, which
-- names the change it takes back in `undoes` (added in version 2).
CREATE TABLE change (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    command TEXT NOT NULL,
    undoes  INTEGER REFERENCES change(id)
);
CREATE UNIQUE INDEX change_undoes ON change(undoes) WHERE undoes IS NOT NULL;
CREATE INDEX change_actor ON change(actor, id);

-- The audit trail: one row per changed field per change. A task's creation is one row whose
-- field is 'created' and whose new value is the JSON object of its initial fields.
CREATE TABLE history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id INTEGER NOT NULL REFERENCES change(id),
    task_id   INTEGER NOT NULL REFERENCES task(id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    note      TEXT,
    -- When the change took effect (added in version 6), as opposed to `at`, when it was
    -- recorded. NULL means when it was recorded: only a change given with `--on` (and rows an
    -- upgrade repaired) store a time here. Replay orders a task's rows by
    -- (coalesce(effective, at), id), and cut-offs such as `--as-of` compare this time.
    effective TEXT
);
CREATE INDEX history_task ON history(task_id, id);
CREATE INDEX history_at   ON history(at);
-- The rows that take effect after a day (added in version 7): `--as-of` views replay only
-- the tasks they touch and read every other task from its current row.
CREATE INDEX history_effective ON history(coalesce(effective, at), task_id);
CREATE INDEX history_change ON history(change_id);
-- The tasks that were ever moved under (or out from under) a parent: with the current
-- sub-tasks, they are all a year-end export needs to replay to know parents' progress.
CREATE INDEX history_parent ON history(task_id) WHERE field = 'parent_id';
-- The rows of one field that take effect after a day (added in version 10): `list --as-of`
-- finds the tasks whose filtered fields (an owner, a status…) changed after the day, the
-- only ones that can have matched the filter then without matching it now, and `show
-- --as-of` of a shortcoming the links to it removed after the day (`old`). Partial, so
-- that only a query that states the same condition can use it: a query on `field = 'x'`
-- alone keeps the index it had (history_task), and creations, notes and progress rows,
-- which no filter reads, are left out.
CREATE INDEX history_field ON history(field, coalesce(effective, at), task_id, old)
    WHERE field NOT IN ('created', 'note', 'progress');

-- The audit trail is append-only, and the schema itself enforces it.
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed');
END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted');
END;
CREATE TRIGGER change_no_update BEFORE UPDATE ON change
BEGIN
    SELECT RAISE(ABORT, 'changes are append-only');
END;
CREATE TRIGGER change_no_delete BEFORE DELETE ON change
BEGIN
    SELECT RAISE(ABORT, 'changes are append-only');
END;
-- There is no hard delete of tasks: cancelling with a reason is how an item leaves the ledger.
CREATE TRIGGER task_no_delete BEFORE DELETE ON task
BEGIN
    SELECT RAISE(ABORT, 'tasks are never deleted: cancel them with a reason instead');
END;

-- block: requests-evidence (added in version 8)
-- An extension request (申请延期): a unit asks for a later deadline with a reason. The request
-- never moves the deadline; it waits for one decision. Requests and decisions are only ever
-- added, so the trail of who asked for what and who decided is kept as it happened.
CREATE TABLE extension_request (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id   INTEGER NOT NULL REFERENCES task(id),
    change_id INTEGER NOT NULL REFERENCES change(id),
    -- The deadline asked for, and the one the task had when it was asked.
    deadline  TEXT NOT NULL CHECK (deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    old_deadline TEXT,
    reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    effective TEXT
);
CREATE INDEX extension_request_task ON extension_request(task_id, id);
-- The one decision on a request: approved (the deadline moves in the same change) or
-- rejected. A request without a row here is pending.
CREATE TABLE extension_decision (
    request_id INTEGER PRIMARY KEY REFERENCES extension_request(id),
    change_id  INTEGER NOT NULL REFERENCES change(id),
    state      TEXT NOT NULL CHECK (state IN ('approved', 'rejected')),
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT
);
-- Evidence files (佐证材料), stored once per content, named by their SHA-256.
CREATE TABLE evidence_blob (
    sha256  TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size    INTEGER NOT NULL CHECK (size >= 0),
    content BLOB NOT NULL
);
-- The evidence attached to a task: a stored file (sha256 and the file's name) or a reference
-- (a document number or a URL).
CREATE TABLE evidence (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id   INTEGER NOT NULL REFERENCES task(id),
    change_id INTEGER NOT NULL REFERENCES change(id),
    sha256    TEXT REFERENCES evidence_blob(sha256),
    name      TEXT,
    reference TEXT,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    CHECK ((sha256 IS NULL) <> (reference IS NULL))
);
CREATE INDEX evidence_task ON evidence(task_id, id);
CREATE TRIGGER extension_request_no_update BEFORE UPDATE ON extension_request
BEGIN
    SELECT RAISE(ABORT, 'extension requests are append-only');
END;
CREATE TRIGGER extension_request_no_delete BEFORE DELETE ON extension_request
BEGIN
    SELECT RAISE(ABORT, 'extension requests are append-only');
END;
CREATE TRIGGER extension_decision_no_update BEFORE UPDATE ON extension_decision
BEGIN
    SELECT RAISE(ABORT, 'decisions on extension requests are append-only');
END;
CREATE TRIGGER extension_decision_no_delete BEFORE DELETE ON extension_decision
BEGIN
    SELECT RAISE(ABORT, 'decisions on extension requests are append-only');
END;
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is append-only');
END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is append-only');
END;
CREATE TRIGGER evidence_blob_no_update BEFORE UPDATE ON evidence_blob
BEGIN
    SELECT RAISE(ABORT, 'stored evidence files are append-only');
END;
CREATE TRIGGER evidence_blob_no_delete BEFORE DELETE ON evidence_blob
BEGIN
    SELECT RAISE(ABORT, 'stored evidence files are append-only');
END;
-- end block: requests-evidence

-- Version 9 (issue 13, part A). This block is the upgrade step 8 → 9 too: the step reads it
-- from here (src/db/schema.rs, `Step::Block`), so its DDL is written once.
-- block: 13a
-- The responsible person (责任人) and how to reach them (联系方式), per task.
ALTER TABLE task ADD COLUMN person TEXT;
ALTER TABLE task ADD COLUMN contact TEXT;
CREATE INDEX task_person ON task(person) WHERE person IS NOT NULL;
-- The units register (单位库): each unit once, by its current name, with a short name.
-- Names are registered as tasks use them (add, update, import) and edited with `unit`.
CREATE TABLE unit (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    name  TEXT NOT NULL UNIQUE,
    short TEXT
);
-- Other names of a unit (区司法局 = 司法局): a former name after `unit rename`, or one the
-- office declares with `unit alias`. Views show a task's units by their current name; the
-- tasks and their history keep the name as it was written.
CREATE TABLE unit_alias (
    alias   TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id)
) WITHOUT ROWID;
CREATE INDEX unit_alias_unit ON unit_alias(unit_id);
-- Every unit name a task carries, as written: its lead ('lead') and each supporting unit
-- ('co'), so that `--owner X` finds co-owned tasks from an index instead of reading every
-- co_owners list. Kept by the writing code in the same transaction as each change, rebuilt
-- by bulk imports and the upgrade, proved by `check`.
CREATE TABLE task_unit (
    name    TEXT NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    task_id INTEGER NOT NULL REFERENCES task(id),
    PRIMARY KEY (name, role, task_id)
) WITHOUT ROWID;
CREATE INDEX task_unit_task ON task_unit(task_id);
-- end block: 13a

-- block: outline-periods (added in version 11)
-- The outline periods (纲要期间) the ledger follows: spans of plan years that never overlap,
-- each with a name and its closing year (收官之年, the year supervisors check). Every task
-- belongs to the period of its plan year; exports and reports name it from here, so a year
-- keeps its own period after a later one is added. The statements may run again on a ledger
-- that has them (IF NOT EXISTS), so that the step stands on its own whatever ran before it.
CREATE TABLE IF NOT EXISTS outline_period (
    start_year   INTEGER PRIMARY KEY,
    end_year     INTEGER NOT NULL,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    closing_year INTEGER NOT NULL,
    CHECK (start_year <= end_year AND closing_year BETWEEN start_year AND end_year)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS outline_period_no_overlap BEFORE INSERT ON outline_period
WHEN EXISTS (SELECT 1 FROM outline_period
             WHERE start_year <= NEW.end_year AND end_year >= NEW.start_year)
BEGIN
    SELECT RAISE(ABORT, 'outline periods may not overlap');
END;
-- A ledger of an earlier version kept its one span in meta: that span becomes its first
-- period. (A new ledger's meta is still empty here; it gets its period when created.)
INSERT INTO outline_period(start_year, end_year, name, closing_year)
SELECT s, e,
       CASE WHEN s = 2021 AND e = 2025 THEN '法治政府建设实施纲要（2021—2025年）'
            ELSE '纲要（' || s || '—' || e || '年）' END,
       e
FROM (SELECT CAST(a.value AS INTEGER) AS s, CAST(b.value AS INTEGER) AS e
      FROM meta a, meta b WHERE a.key = 'outline_start' AND b.key = 'outline_end')
WHERE NOT EXISTS (SELECT 1 FROM outline_period);
-- The rows that changed a task's plan year (update --year, carry-over): the 结转自 mark of
-- every listing is read from them alone.
CREATE INDEX IF NOT EXISTS history_year ON history(task_id) WHERE field = 'year';
-- end block: outline-periods

-- block: outline-period-changes (added in version 12)
-- What `outline add` and `outline rename` changed (and an undo of them), one row per period
-- per change, so that `history` lists them and `undo` takes them back: field 'added' (new =
-- the name), 'removed' (old = the name) or 'name' (old and new names). Append-only, like
-- history. IF NOT EXISTS lets the step stand on its own whatever ran before it.
CREATE TABLE IF NOT EXISTS period_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id  INTEGER NOT NULL REFERENCES change(id),
    start_year INTEGER NOT NULL,
    end_year   INTEGER NOT NULL,
    field      TEXT NOT NULL CHECK (field IN ('added', 'removed', 'name')),
    old        TEXT,
    new        TEXT
);
CREATE INDEX IF NOT EXISTS period_history_change ON period_history(change_id);
CREATE TRIGGER IF NOT EXISTS period_history_no_update BEFORE UPDATE ON period_history
BEGIN
    SELECT RAISE(ABORT, 'period history is append-only: rows cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS period_history_no_delete BEFORE DELETE ON period_history
BEGIN
    SELECT RAISE(ABORT, 'period history is append-only: rows cannot be deleted');
END;
-- end block: outline-period-changes

-- block: unit-edits (added in version 13, issue 13)
-- Edits of the units register (unit rename/alias/unalias/short), one row per edit, in the
-- change that made it, so the register has an audit trail and `undo` can take an edit back.
-- `before` is the register as it was (JSON: each unit's name, short name and aliases): it is
-- small (tens of units), and restoring it is exact where replaying an inverse would not be
-- (a merge moves many aliases). Append-only, like the history. IF NOT EXISTS lets the step
-- stand on its own whatever ran before it.
CREATE TABLE IF NOT EXISTS unit_edit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id INTEGER NOT NULL REFERENCES change(id),
    action    TEXT NOT NULL CHECK (action IN ('rename', 'alias', 'unalias', 'short', 'undo')),
    unit      TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    before    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_edit_change ON unit_edit(change_id);
CREATE TRIGGER IF NOT EXISTS unit_edit_no_update BEFORE UPDATE ON unit_edit
BEGIN
    SELECT RAISE(ABORT, 'unit edits are append-only');
END;
CREATE TRIGGER IF NOT EXISTS unit_edit_no_delete BEFORE DELETE ON unit_edit
BEGIN
    SELECT RAISE(ABORT, 'unit edits are append-only');
END;
-- end block: unit-edits

-- block: tally-by (added in version 14, issue 18)
-- Running counts behind the filtered progress table (src/db/tally_by.rs): per filter
-- dimension ('all', 'area', 'lead', 'unit', 'person', 'year', 'kind', and the pairs
-- 'area+year', 'area+kind', 'year+kind') and value, grouping,
-- group key (char(0) for none), status and, for open tasks, deadline ('' for none or closed),
-- how many tasks and the sum of their shown progress. Kept by the writing code in the same
-- transaction as each change, rebuilt by bulk imports and by the upgrade step, proved by
-- `check`. Units are counted under the names the tasks store.
CREATE TABLE IF NOT EXISTS tally_by (
    dim      TEXT NOT NULL,
    val      TEXT NOT NULL,
    grouping TEXT NOT NULL,
    key      TEXT NOT NULL,
    status   TEXT NOT NULL,
    due      TEXT NOT NULL,
    n        INTEGER NOT NULL,
    progress REAL NOT NULL,
    first    INTEGER NOT NULL,
    PRIMARY KEY (dim, val, grouping, key, status, due)
) WITHOUT ROWID;
-- end block: tally-by

-- block: task-refs (added in version 15, issue 17)
-- Every task has a ref. A task created without one gets `<plan year>-T<n>` (db::refs); the
-- upgrade step gives the tasks of an older ledger theirs in Rust right after this block (one
-- change with a `ref` history row per task, so the replay and `check` agree), because the
-- per-year numbering reads the refs already taken. The block itself changes no table.
SELECT 1;
-- end block: task-refs
