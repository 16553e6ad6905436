//! The schema, as an ordered list of steps applied on `PRAGMA user_version`.
//! A step is never edited once shipped: a change is a new step at the end.

use rusqlite::Connection;

/// The triggers of step 8, also put back after a bulk load or an import set them aside.
/// An assessment's status and sign-off columns change only in the statement right after
/// the program appended the matching `assessment.finalise` or `assessment.reopen` row to
/// the audit log: that row must be the newest of the log and the last row this connection
/// inserted (`last_insert_rowid()`, which inside a trigger still names the row inserted
/// before the statement that fired it). A plain `UPDATE` from the sqlite3 tool is refused;
/// one that writes an audit row first leaves a row without a chain hash, which `verify` names.
macro_rules! signoff_triggers {
    () => {
        r#"
    CREATE TRIGGER assessments_signoff_by_chain
    BEFORE UPDATE OF status, finalised_by, finalised_at, signoff_hash, signoff_version ON assessments
    WHEN (NEW.status IS NOT OLD.status OR NEW.finalised_by IS NOT OLD.finalised_by
          OR NEW.finalised_at IS NOT OLD.finalised_at OR NEW.signoff_hash IS NOT OLD.signoff_hash
          OR NEW.signoff_version IS NOT OLD.signoff_version)
     AND NOT EXISTS (
          SELECT 1 FROM audit_log l
          WHERE l.id = last_insert_rowid() AND l.id = (SELECT max(id) FROM audit_log)
            AND l.assessment_id = NEW.id
            AND l.action = CASE NEW.status WHEN 'finalised' THEN 'assessment.finalise' ELSE 'assessment.reopen' END)
    BEGIN SELECT RAISE(ABORT, 'an assessment is finalised or reopened only together with its row in the audit log'); END;
    CREATE TRIGGER assessments_signoff_insert BEFORE INSERT ON assessments
    WHEN NEW.status IS NOT 'draft' OR NEW.signoff_hash IS NOT NULL
      OR NEW.finalised_by IS NOT NULL OR NEW.finalised_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'an assessment starts as a draft'); END;
    CREATE TRIGGER assessments_signed_locked
    BEFORE UPDATE OF facility_id, year, model_id, model_hash ON assessments
    WHEN OLD.status = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    "#
    };
}

/// The names of every trigger that guards signed data (for `doctor`).
pub const LOCK_TRIGGERS: &[&str] = &[
    "scores_locked_insert",
    "scores_locked_update",
    "scores_locked_delete",
    "assessments_signoff_by_chain",
    "assessments_signoff_insert",
    "assessments_signed_locked",
];

/// The migration steps; `user_version` N means the first N have been applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: definitions, facilities, assessments, scores and the audit log
    r#"
    CREATE TABLE models (
        hash        TEXT PRIMARY KEY,
        id          TEXT NOT NULL,
        json        TEXT NOT NULL,
        bundled     INTEGER NOT NULL CHECK (bundled IN (0, 1)),
        active      INTEGER NOT NULL CHECK (active IN (0, 1)),
        source_file TEXT NOT NULL,
        loaded_by   TEXT NOT NULL,
        loaded_at   TEXT NOT NULL
    );
    CREATE UNIQUE INDEX models_one_active ON models (id) WHERE active = 1;

    CREATE TABLE model_mappings (
        from_model TEXT NOT NULL,
        to_model   TEXT NOT NULL,
        json       TEXT NOT NULL,
        PRIMARY KEY (from_model, to_model)
    );

    CREATE TABLE strategies (
        id          TEXT PRIMARY KEY,
        hash        TEXT NOT NULL,
        region      TEXT NOT NULL,
        name        TEXT NOT NULL,
        adopted     TEXT,
        period      TEXT,
        vision      TEXT,
        mission     TEXT,
        model_id    TEXT NOT NULL,
        source      TEXT NOT NULL,
        bundled     INTEGER NOT NULL CHECK (bundled IN (0, 1)),
        source_file TEXT NOT NULL,
        loaded_by   TEXT NOT NULL,
        loaded_at   TEXT NOT NULL
    );
    CREATE TABLE strategy_nodes (
        strategy_id TEXT NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
        id          TEXT NOT NULL,
        parent_id   TEXT,
        kind        TEXT NOT NULL CHECK (kind IN ('theme', 'focus_area', 'action_plan')),
        text        TEXT NOT NULL,
        note        TEXT,
        source      TEXT NOT NULL DEFAULT '',
        position    INTEGER NOT NULL,
        PRIMARY KEY (strategy_id, id)
    );
    CREATE TABLE strategy_links (
        strategy_id TEXT NOT NULL,
        node_id     TEXT NOT NULL,
        target_id   TEXT NOT NULL,
        basis       TEXT NOT NULL CHECK (basis IN ('seed', 'proposed', 'local')),
        note        TEXT,
        position    INTEGER NOT NULL,
        PRIMARY KEY (strategy_id, node_id, target_id),
        FOREIGN KEY (strategy_id, target_id) REFERENCES strategy_nodes (strategy_id, id) ON DELETE CASCADE
    );

    CREATE TABLE facilities (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL CHECK (trim(name) <> ''),
        -- the name in lower case (Unicode), for lookups and uniqueness; SQLite's NOCASE folds ASCII only
        name_key      TEXT NOT NULL UNIQUE,
        organisation  TEXT NOT NULL DEFAULT '',
        location      TEXT NOT NULL DEFAULT '',
        facility_type TEXT NOT NULL DEFAULT '',
        target_group  TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL,
        archived_at   TEXT
    );
    CREATE TABLE facility_tags (
        facility_id INTEGER NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
        tag         TEXT NOT NULL,
        PRIMARY KEY (facility_id, tag)
    ) WITHOUT ROWID;

    CREATE TABLE assessments (
        id           INTEGER PRIMARY KEY,
        facility_id  INTEGER NOT NULL REFERENCES facilities (id),
        year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
        model_id     TEXT NOT NULL,
        model_hash   TEXT NOT NULL REFERENCES models (hash),
        status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalised')),
        created_by   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        finalised_by TEXT,
        finalised_at TEXT
    );
    CREATE INDEX assessments_by_facility ON assessments (facility_id, year);

    CREATE TABLE scores (
        assessment_id INTEGER NOT NULL REFERENCES assessments (id),
        indicator_id  TEXT NOT NULL,
        value         INTEGER CHECK (value BETWEEN 1 AND 5),
        not_relevant  INTEGER NOT NULL DEFAULT 0 CHECK (not_relevant IN (0, 1)),
        reasoning     TEXT NOT NULL DEFAULT '',
        sources       TEXT NOT NULL DEFAULT '',
        by            TEXT NOT NULL,
        at            TEXT NOT NULL,
        PRIMARY KEY (assessment_id, indicator_id),
        CHECK ((not_relevant = 1 AND value IS NULL AND trim(reasoning) <> '')
            OR (not_relevant = 0 AND value IS NOT NULL))
    ) WITHOUT ROWID;

    CREATE TABLE audit_log (
        id            INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        by            TEXT NOT NULL,
        action        TEXT NOT NULL,
        facility_id   INTEGER,
        assessment_id INTEGER,
        subject       TEXT,
        old_value     TEXT,
        new_value     TEXT,
        reason        TEXT
    );
    CREATE INDEX audit_by_assessment ON audit_log (assessment_id);
    "#,
    // 2: the database itself refuses changes to a finalised assessment's scores
    r#"
    CREATE TRIGGER scores_locked_insert BEFORE INSERT ON scores
    WHEN (SELECT status FROM assessments WHERE id = NEW.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    CREATE TRIGGER scores_locked_update BEFORE UPDATE ON scores
    WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) = 'finalised'
      OR (SELECT status FROM assessments WHERE id = NEW.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    CREATE TRIGGER scores_locked_delete BEFORE DELETE ON scores
    WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    "#,
    // 3: roll-forward: scores carried over from last year stay marked until re-assessed
    r#"
    ALTER TABLE scores ADD COLUMN carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1));
    ALTER TABLE assessments ADD COLUMN rolled_from INTEGER REFERENCES assessments (id);
    "#,
    // 4: per-database settings (the gap rules) and improvement actions
    r#"
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE improvement_actions (
        id             INTEGER PRIMARY KEY,
        assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
        text           TEXT NOT NULL CHECK (trim(text) <> ''),
        strategy_id    TEXT,
        action_plan_id TEXT,
        owner          TEXT NOT NULL DEFAULT '',
        due            TEXT,
        status         TEXT NOT NULL DEFAULT 'planned'
                       CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
        drop_reason    TEXT,
        created_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        CHECK (status <> 'dropped' OR trim(coalesce(drop_reason, '')) <> '')
    );
    CREATE INDEX actions_by_assessment ON improvement_actions (assessment_id);
    CREATE INDEX actions_open_by_due ON improvement_actions (status, due);
    CREATE TABLE action_indicators (
        action_id    INTEGER NOT NULL REFERENCES improvement_actions (id) ON DELETE CASCADE,
        indicator_id TEXT NOT NULL,
        PRIMARY KEY (action_id, indicator_id)
    ) WITHOUT ROWID;
    "#,
    // 5: comparisons read a year's assessments in (year, id) order without sorting
    r#"
    CREATE INDEX assessments_by_year ON assessments (year);
    "#,
    // 6: a sign-off records the content hash of what was signed
    r#"
    ALTER TABLE assessments ADD COLUMN signoff_hash TEXT;
    "#,
    // 7: the audit log becomes a hash chain (rows already there are sealed by `migrate`)
    r#"
    ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
    "#,
    // 8: the chain decides the status, and the sign-off hash is versioned (old sign-offs
    // keep encoding 1 and are checked in it; see integrity::SIGNOFF_VERSION)
    concat!(
        "ALTER TABLE assessments ADD COLUMN signoff_version INTEGER NOT NULL DEFAULT 1;",
        signoff_triggers!()
    ),
    // 9: a model's scale may hold any values from 0 to 9 (the scores table is rebuilt, as
    // SQLite cannot change a CHECK; the lock triggers of step 2 are put back unchanged)
    r#"
    DROP TRIGGER scores_locked_insert;
    DROP TRIGGER scores_locked_update;
    DROP TRIGGER scores_locked_delete;
    CREATE TABLE scores_scale (
        assessment_id INTEGER NOT NULL REFERENCES assessments (id),
        indicator_id  TEXT NOT NULL,
        value         INTEGER CHECK (value BETWEEN 0 AND 9),
        not_relevant  INTEGER NOT NULL DEFAULT 0 CHECK (not_relevant IN (0, 1)),
        reasoning     TEXT NOT NULL DEFAULT '',
        sources       TEXT NOT NULL DEFAULT '',
        by            TEXT NOT NULL,
        at            TEXT NOT NULL,
        carried_over  INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
        PRIMARY KEY (assessment_id, indicator_id),
        CHECK ((not_relevant = 1 AND value IS NULL AND trim(reasoning) <> '')
            OR (not_relevant = 0 AND value IS NOT NULL))
    ) WITHOUT ROWID;
    INSERT INTO scores_scale (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over)
        SELECT assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over FROM scores;
    DROP TABLE scores;
    ALTER TABLE scores_scale RENAME TO scores;
    CREATE TRIGGER scores_locked_insert BEFORE INSERT ON scores
    WHEN (SELECT status FROM assessments WHERE id = NEW.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    CREATE TRIGGER scores_locked_update BEFORE UPDATE ON scores
    WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) = 'finalised'
      OR (SELECT status FROM assessments WHERE id = NEW.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    CREATE TRIGGER scores_locked_delete BEFORE DELETE ON scores
    WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) = 'finalised'
    BEGIN SELECT RAISE(ABORT, 'assessment is finalised'); END;
    "#,
    // 10: a strategy links the nodes of other models too (another framework's, e.g. the
    // yearly safety self-evaluation): `model_id` names the model, '' the strategy's own
    r#"
    CREATE TABLE strategy_links_v10 (
        strategy_id TEXT NOT NULL,
        model_id    TEXT NOT NULL DEFAULT '',
        node_id     TEXT NOT NULL,
        target_id   TEXT NOT NULL,
        basis       TEXT NOT NULL CHECK (basis IN ('seed', 'proposed', 'local')),
        note        TEXT,
        position    INTEGER NOT NULL,
        PRIMARY KEY (strategy_id, model_id, node_id, target_id),
        FOREIGN KEY (strategy_id, target_id) REFERENCES strategy_nodes (strategy_id, id) ON DELETE CASCADE
    );
    INSERT INTO strategy_links_v10 (strategy_id, model_id, node_id, target_id, basis, note, position)
        SELECT strategy_id, '', node_id, target_id, basis, note, position FROM strategy_links;
    DROP TABLE strategy_links;
    ALTER TABLE strategy_links_v10 RENAME TO strategy_links;
    "#,
    // 11: the columns a comparison reads of every score (`compare_rows.rs`) in an index of
    // their own, so a year's scores are read without their texts
    "CREATE INDEX scores_values ON scores (assessment_id, indicator_id, value, not_relevant);",
];

/// The step that adds the audit chain; rows written before it are sealed as it is applied.
const AUDIT_CHAIN_STEP: i64 = 7;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies the steps after `user_version` up to `steps.len()`, all in one transaction,
/// so that a failure leaves the file at its old version.
pub fn migrate(conn: &mut Connection, steps: &[&str]) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= steps.len() as i64 {
        return Ok(());
    }
    if current < 0 {
        // not a version this program wrote (`Store::open` names it to the user first)
        return Err(rusqlite::Error::IntegralValueOutOfRange(0, current));
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // another process may have migrated while we waited for the write lock
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= steps.len() as i64 {
        return Ok(());
    }
    for step in &steps[current as usize..] {
        tx.execute_batch(step)?;
    }
    if current < AUDIT_CHAIN_STEP && steps.len() as i64 >= AUDIT_CHAIN_STEP {
        super::audit::seal_earlier_rows(&tx)?;
    }
    tx.pragma_update(None, "user_version", steps.len() as i64)?;
    tx.commit()
}

/// Sets the finalised-assessment lock triggers aside inside a transaction that writes
/// drafts and finalises them itself (a bulk load, an import); `restore_lock_triggers`
/// puts them back before the commit, and a rollback puts them back as well. Triggers a
/// forger dropped are put back too.
///
/// Into a database that holds no assessments yet, the secondary indexes of the tables a
/// load fills are set aside too (`set_aside_indexes`): built once from the loaded rows,
/// which costs about half of keeping them up to date row by row.
pub(super) fn set_aside_lock_triggers(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    set_aside_indexes(tx)?;
    super::evidence::note_unexplained(tx)?;
    tx.execute_batch("DROP TRIGGER IF EXISTS scores_locked_insert; DROP TRIGGER IF EXISTS scores_locked_update; DROP TRIGGER IF EXISTS scores_locked_delete;")?;
    tx.execute_batch("DROP TRIGGER IF EXISTS assessments_signoff_by_chain; DROP TRIGGER IF EXISTS assessments_signoff_insert; DROP TRIGGER IF EXISTS assessments_signed_locked;")
}

/// Puts the lock triggers back (step 2 of the schema, unchanged, and step 8's triggers).
/// Before that, the chain gets the finalise or reopen row of every status the writer set
/// (`evidence::explain_changes`).
/// The indexes set aside are built first (the chain's check below reads through them).
pub(super) fn restore_lock_triggers(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    restore_indexes(tx)?;
    super::evidence::explain_changes(tx)?;
    tx.execute_batch(MIGRATIONS[1])?;
    tx.execute_batch(signoff_triggers!())
}

/// The tables of most of a load's rows, whose secondary indexes a load into a database
/// without assessments builds once at its end. The assessments' and the audit log's
/// indexes stay: an import looks through them where a bundle holds two assessments of a
/// facility and year (and their audit rows), and their tables are small.
const LOADED_TABLES: &str = "'scores', 'improvement_actions'";

/// Drops the secondary indexes of `LOADED_TABLES` inside the load's transaction when the
/// database holds no assessments, keeping their definitions (as stored) in a temporary
/// table for `restore_indexes`. Unique indexes stay: they refuse rows as they come.
/// Nothing of it is visible outside the transaction, and a rollback restores them.
fn set_aside_indexes(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS indexes_set_aside (name TEXT NOT NULL, sql TEXT NOT NULL);
         DELETE FROM temp.indexes_set_aside;",
    )?;
    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM assessments)", [], |r| {
        r.get(0)
    })?;
    if !empty {
        return Ok(());
    }
    tx.execute(
        &format!(
            "INSERT INTO temp.indexes_set_aside (name, sql)
             SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ({LOADED_TABLES}) AND sql NOT LIKE 'CREATE UNIQUE%'
             ORDER BY rowid"
        ),
        [],
    )?;
    for name in set_aside(tx, "name")? {
        tx.execute_batch(&format!(
            "DROP INDEX main.\"{}\"",
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(())
}

/// Builds the indexes `set_aside_indexes` dropped, from their definitions as stored.
fn restore_indexes(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'indexes_set_aside')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(());
    }
    let sqls = set_aside(tx, "sql")?;
    if !sqls.is_empty() {
        // SQLite's sorter holds as much as the page cache in memory: a smaller cache while
        // the indexes are built keeps the import's peak memory where it was (issue 16:
        // ≤ 64 MB), at no cost in time (the sort spills to its temporary file)
        let cache: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        tx.pragma_update(None, "cache_size", INDEX_BUILD_CACHE_KIB)?;
        for sql in &sqls {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "cache_size", cache)?;
    }
    tx.execute_batch("DROP TABLE temp.indexes_set_aside")
}

/// The page cache while the indexes set aside are built, in KiB (negative: SQLite's unit
/// for a size).
const INDEX_BUILD_CACHE_KIB: i64 = -4096;

/// A column of the indexes set aside, in the order they were created.
fn set_aside(tx: &rusqlite::Transaction<'_>, column: &str) -> rusqlite::Result<Vec<String>> {
    tx.prepare(&format!(
        "SELECT {column} FROM temp.indexes_set_aside ORDER BY rowid"
    ))?
    .query_map([], |r| r.get(0))?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Stamp, Store};

    fn stamp() -> Stamp {
        Stamp {
            by: "tester".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    /// Every index with a definition (not SQLite's own for a key), by name.
    fn indexes(conn: &Connection) -> Vec<(String, String)> {
        conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn named(list: &[(String, String)], name: &str) -> bool {
        list.iter().any(|(n, _)| n == name)
    }

    #[test]
    fn a_load_into_an_empty_database_builds_the_same_indexes_at_its_end_unseen_by_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open(&path, &stamp()).unwrap();
        let before = indexes(&store.conn);
        assert!(named(&before, "scores_values"), "{before:?}");
        let cache = |c: &Connection| -> i64 {
            c.pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        store
            .conn
            .pragma_update(None, "cache_size", -16384)
            .unwrap();
        let tx = store.conn.unchecked_transaction().unwrap();
        set_aside_lock_triggers(&tx).unwrap();
        let inside = indexes(&tx);
        for gone in [
            "scores_values",
            "actions_by_assessment",
            "actions_open_by_due",
        ] {
            assert!(!named(&inside, gone), "{gone} is built after the load");
        }
        // a unique index refuses rows as they come, and the import looks through these
        for kept in [
            "models_one_active",
            "assessments_by_facility",
            "audit_by_assessment",
        ] {
            assert!(named(&inside, kept), "{kept} stays");
        }
        // another connection sees the database as committed
        let other = Connection::open(&path).unwrap();
        assert_eq!(indexes(&other), before);
        restore_lock_triggers(&tx).unwrap();
        // the load's own page cache again once the indexes are built
        assert_eq!(cache(&tx), -16384);
        tx.commit().unwrap();
        assert_eq!(indexes(&store.conn), before);
        assert_eq!(indexes(&other), before);
        // a load rolled back leaves them as they were
        let tx = store.conn.unchecked_transaction().unwrap();
        set_aside_lock_triggers(&tx).unwrap();
        drop(tx);
        assert_eq!(indexes(&store.conn), before);
    }

    #[test]
    fn a_load_into_a_database_with_assessments_keeps_its_indexes_and_a_demo_ends_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), &stamp()).unwrap();
        let before = indexes(&store.conn);
        let spec = crate::demo::DemoSpec {
            facilities: 2,
            years: 2,
            from_year: 2024,
            seed: 1,
        };
        let report = crate::demo::generate(&mut store, &spec, "demo").unwrap();
        assert!(report.scores > 0);
        assert_eq!(indexes(&store.conn), before);
        let tx = store.conn.unchecked_transaction().unwrap();
        set_aside_lock_triggers(&tx).unwrap();
        assert_eq!(indexes(&tx), before);
        restore_lock_triggers(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(indexes(&store.conn), before);
    }
}
