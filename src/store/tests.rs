use super::*;
use crate::assessment::{ScoreInput, ScoreValue};
use crate::model::bundled_models;

fn stamp() -> Stamp {
    Stamp {
        by: "tester".into(),
        at: chrono::DateTime::UNIX_EPOCH,
    }
}

fn facility(store: &mut Store, name: &str, tags: &[&str]) -> Facility {
    let new = NewFacility {
        name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    store.add_facility(&new, &stamp()).unwrap()
}

fn input(id: &str, v: u8) -> ScoreInput {
    ScoreInput {
        indicator_id: id.into(),
        value: ScoreValue::Scored(v),
        reasoning: Some(format!("why {id}")),
        sources: None,
    }
}

#[test]
fn a_fresh_database_is_migrated_and_holds_the_bundled_definitions_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/t.db");
    let store = Store::open(&path, &stamp()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::SCHEMA_VERSION);
    let models = store.model_records().unwrap();
    // the two bundled quality models and the safety self-evaluation, active, and the
    // quality models' earlier bundled versions, inactive
    assert_eq!(models.len(), 5);
    assert!(models.iter().all(|m| m.bundled));
    assert_eq!(models.iter().filter(|m| m.active).count(), 3);
    assert_eq!(store.strategy_records().unwrap().len(), 2);
    drop(store);
    let store = Store::open(&path, &stamp()).unwrap();
    assert_eq!(store.model_records().unwrap().len(), 5);
    let journal: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let page: i64 = store
        .conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    assert_eq!(page, PAGE_SIZE);
    let fk: bool = store
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(fk);
}

#[test]
fn an_older_schema_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        // a database as the first release left it: step 1 only, with a finalised assessment
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations::migrate(&mut conn, &migrations::MIGRATIONS[..1]).unwrap();
        conn.execute_batch(
            "INSERT INTO models VALUES ('h', 'socialtilsyn-2014', '{}', 1, 0, 'x', 'a', '2020-01-01T00:00:00.000Z');
             INSERT INTO facilities (id, name, name_key, created_at) VALUES (1, 'Gammelgården', 'gammelgården', '2020-01-01T00:00:00.000Z');
             INSERT INTO assessments (id, facility_id, year, model_id, model_hash, status, created_by, created_at)
               VALUES (1, 1, 2015, 'socialtilsyn-2014', 'h', 'finalised', 'a', '2020-01-01T00:00:00.000Z');
             INSERT INTO scores VALUES (1, '1a', 4, 0, 'ok', '', 'a', '2020-01-01T00:00:00.000Z');",
        )
        .unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let store = Store::open(&path, &stamp()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::SCHEMA_VERSION);
    assert_eq!(store.find_facility("GAMMELGÅRDEN").unwrap().id, 1);
    // step 2's trigger now guards the finalised assessment from below the program
    let err = store
        .conn
        .execute("UPDATE scores SET value = 1 WHERE assessment_id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("assessment is finalised"), "{err}");
}

#[test]
fn a_database_newer_than_the_program_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &stamp()).err().unwrap();
    assert!(
        matches!(err, Error::DatabaseTooNew { found: 99, .. }),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("new.db-wal").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "Dette er ikke en database, men en tekst på mere end hundrede bytes, så SQLite læser headeren ................";
    std::fs::write(&path, text).unwrap();
    let err = Store::open(&path, &stamp()).err().unwrap();
    assert!(matches!(err, Error::NotADatabase { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_regions_official_copy_replaces_the_text_but_not_the_structure() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let mut official = bundled_models().remove(0);
    official.themes[0].criteria[0].indicators[2].text.da = "Officiel tekst.".into();
    official.themes[0].criteria[0].indicators[2].text.wording = crate::model::Wording::Confirmed;
    assert!(
        store
            .import_model(&official, "officiel.json", &stamp())
            .unwrap()
    );
    assert!(
        !store
            .import_model(&official, "officiel.json", &stamp())
            .unwrap()
    );
    let active = store.active_model("socialtilsyn-2014").unwrap();
    assert_eq!(
        active.indicator("1c").unwrap().indicator.text.da,
        "Officiel tekst."
    );
    assert_eq!(store.model_records().unwrap().len(), 6);

    let mut changed = official.clone();
    changed.themes[0].criteria[0].indicators.pop();
    let err = store
        .import_model(&changed, "changed.json", &stamp())
        .unwrap_err();
    assert!(err.to_string().contains("1c is missing"), "{err}");
}

#[test]
fn strategies_round_trip_through_their_rows() {
    let store = Store::open_in_memory(&stamp()).unwrap();
    let models = bundled_models();
    for original in crate::strategy::bundled_strategies(&models) {
        let stored = store.strategy(&original.id).unwrap();
        assert_eq!(stored, original);
    }
    assert!(matches!(
        store.strategy("nope"),
        Err(Error::UnknownStrategy(_))
    ));
}

#[test]
fn undo_puts_a_score_back_as_it_was_and_is_audited() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let f = facility(&mut store, "Solhøj", &[]);
    let model = store.model_for_year(2026).unwrap();
    let a = store
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    store.set_score(a.id, &input("3a", 2), &stamp()).unwrap();
    let first = store
        .scores(a.id)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == "3a")
        .unwrap();
    store.set_score(a.id, &input("3a", 5), &stamp()).unwrap();
    store
        .restore_score(a.id, "3a", Some(&first), &stamp())
        .unwrap();
    let back = store
        .scores(a.id)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == "3a")
        .unwrap();
    assert_eq!(back, first);
    store.restore_score(a.id, "3a", None, &stamp()).unwrap();
    assert!(
        !store
            .scores(a.id)
            .unwrap()
            .iter()
            .any(|s| s.indicator_id == "3a")
    );
    let log = store.audit_log(Some(a.id)).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "score.undo").count(), 2);
    assert!(log.last().unwrap().new_value.is_none());
}

#[test]
fn audit_rows_written_before_the_chain_are_sealed_by_the_upgrade_and_later_rows_link_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations::migrate(&mut conn, &migrations::MIGRATIONS[..6]).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_log (at, by, action, subject) VALUES ('2024-01-01T00:00:00.000Z', 'a', 'facility.add', 'Gammelgården');
             INSERT INTO audit_log (at, by, action, subject, reason) VALUES ('2024-01-02T00:00:00.000Z', 'b', 'facility.edit', NULL, '');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path, &stamp()).unwrap();
    let v = store.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    facility(&mut store, "Nyhuset", &[]);
    let v = store.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert!(v.audit_rows >= 3, "{}", v.audit_rows);
    assert_eq!(v.chain_head.len(), 64);
    // the head moved with the new row
    let head: String = store
        .conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v.chain_head, head);
}

#[test]
fn a_bulk_load_into_an_empty_file_returns_it_to_wal_and_works_beside_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let journal = |store: &Store| -> String {
        store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap()
    };
    let spec = |facilities| crate::demo::DemoSpec {
        facilities,
        years: 2,
        from_year: 2020,
        seed: 3,
    };
    let mut store = Store::open(&path, &stamp()).unwrap();
    crate::demo::generate(&mut store, &spec(3), "demo").unwrap();
    assert_eq!(journal(&store), "wal");
    assert!(store.verify(None).unwrap().findings.is_empty());
    // another connection holds the file open: the load stays in WAL and still goes through
    let mut second = Store::open(&dir.path().join("second.db"), &stamp()).unwrap();
    let reader2 = rusqlite::Connection::open(dir.path().join("second.db")).unwrap();
    reader2
        .query_row("SELECT count(*) FROM assessments", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    crate::demo::generate(&mut second, &spec(2), "demo").unwrap();
    assert_eq!(journal(&second), "wal");
    let after: i64 = reader2
        .query_row("SELECT count(*) FROM scores", [], |r| r.get(0))
        .unwrap();
    assert!(after > 0);
}

#[test]
fn streamed_and_listed_assessment_texts_agree_including_assessments_without_scores() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let model = store.model_for_year(2026).unwrap();
    let mut ids = Vec::new();
    for (name, year) in [("Ahorn", 2025), ("Birk", 2026), ("Cedertræ", 2026)] {
        let f = facility(
            &mut store,
            name,
            &["children", "board", "ambulant", "shelter"],
        );
        let a = store
            .start_assessment(&f, year, &model, false, &stamp())
            .unwrap();
        ids.push(a.id);
    }
    store.set_score(ids[1], &input("1a", 3), &stamp()).unwrap();
    // one without any score at all, first and last in number order
    store
        .conn
        .execute_batch(&format!(
            "DELETE FROM scores WHERE assessment_id IN ({}, {});",
            ids[0], ids[2]
        ))
        .unwrap();
    let seen = |streamed: bool| {
        let mut out = Vec::new();
        let f = |a: &AssessmentRecord, s: &[ScoreText]| {
            out.push((
                a.id,
                s.iter().map(|s| s.indicator.clone()).collect::<Vec<_>>(),
            ));
            Ok(())
        };
        if streamed {
            store.for_each_selected_texts(&Selection::All, f).unwrap();
        } else {
            let (_, list) = store.select(&Selection::All).unwrap();
            store.for_each_assessment_texts(&list, f).unwrap();
        }
        out
    };
    let streamed = seen(true);
    assert_eq!(streamed, seen(false));
    assert_eq!(streamed.len(), 3);
    assert_eq!(streamed[0], (ids[0], vec![]));
    assert!(streamed[1].1.contains(&"1a".to_string()));
    assert_eq!(streamed[2], (ids[2], vec![]));
}

// the behaviours of facilities, assessments, the lock on scores and the audit chain are
// in the suite every backend runs (`backend_suite.rs`); what is SQLite's own stays here

#[test]
fn plain_sql_cannot_delete_the_scores_of_a_finalised_assessment() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let f = facility(&mut store, "Solhøj", &[]);
    let model = store.model_for_year(2026).unwrap();
    let a = store
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    for r in model.indicators() {
        store
            .set_score(a.id, &input(&r.indicator.id, 3), &stamp())
            .unwrap();
    }
    store.finalise(a.id, "Forstander Mette", &stamp()).unwrap();
    assert!(
        store
            .conn
            .execute("DELETE FROM scores WHERE assessment_id = ?1", [a.id])
            .is_err()
    );
    assert_eq!(
        store.scores(a.id).unwrap().len(),
        model.indicators().count()
    );
}
