//! The bundle import on every backend: a bundle made by SQLite goes into the backend under
//! test and into a fresh SQLite database (the specification) side by side, and both must
//! end with the same rows (the audit chain's hashes included), give the same report, or
//! refuse with the same error at the same place and change nothing. `dump` lists the
//! backend's rows as text (`TABLES`), as `sqlite_dump` does for SQLite.

use super::super::backend::BundleImport;
use super::super::{Selection, Store};
use super::stamp;
use crate::exchange::{BundleWriter, OnConflict};
use serde_json::Value;

/// The tables (with their columns, all as text) whose rows an import writes; models only
/// where not bundled (each backend loads the bundled ones itself).
pub(crate) const TABLES: &[(&str, &str)] = &[
    (
        "facilities",
        "id, name, name_key, organisation, location, facility_type, target_group, created_at, archived_at",
    ),
    ("facility_tags", "facility_id, tag"),
    (
        "models WHERE NOT bundled",
        "hash, id, json, bundled, active, source_file, loaded_by, loaded_at",
    ),
    (
        "assessments",
        "id, facility_id, year, model_id, model_hash, status, created_by, created_at, finalised_by, finalised_at, rolled_from, signoff_hash, signoff_version",
    ),
    (
        "scores",
        "assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over",
    ),
    (
        "improvement_actions",
        "id, assessment_id, text, strategy_id, action_plan_id, owner, due, status, drop_reason, created_by, created_at, updated_at",
    ),
    ("action_indicators", "action_id, indicator_id"),
    (
        "audit_log",
        "id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash",
    ),
];

/// The flag columns (SQLite's 0 and 1; a server's booleans are dumped as the same).
pub(crate) const FLAGS: &[&str] = &["bundled", "active", "not_relevant", "carried_over"];

/// A row of the dump: its table and its values as text, in a stable form.
pub(crate) fn dump_row(table: &str, values: Vec<Option<String>>) -> String {
    format!("{table}: {values:?}")
}

/// SQLite's rows, as `TABLES` names them, sorted.
pub(crate) fn sqlite_dump(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for (table, columns) in TABLES {
        let cols: Vec<String> = columns
            .split(", ")
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let sql = format!("SELECT {} FROM {table}", cols.join(", "));
        let mut stmt = s.conn.prepare(&sql).unwrap();
        let n = cols.len();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Option<String>>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap();
        let mut rows: Vec<String> = rows.map(|r| dump_row(table, r.unwrap())).collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// A SQLite database with two facilities, each with a finalised assessment (scores, an
/// improvement action, the start and finalise rows of the chain) and a draft of the next
/// year, written by the bulk loader.
fn source() -> Store {
    let mut s = Store::open_in_memory(&stamp()).unwrap();
    let model = s.active_model("socialtilsyn-2017").unwrap();
    let hash = model.content_hash();
    let ids: Vec<(String, bool)> = model
        .indicators()
        .map(|r| {
            let general = r.indicator.applies_only_to.is_empty() && r.indicator.not_for.is_empty();
            (r.indicator.id.clone(), general)
        })
        .collect();
    let rows: Vec<(&str, Option<u8>, &str, &str)> = ids
        .iter()
        .enumerate()
        .map(|(k, (id, general))| {
            if *general {
                (
                    id.as_str(),
                    Some(2 + (k % 3) as u8),
                    "Set i praksis.",
                    "Interview",
                )
            } else {
                (id.as_str(), None, "Gælder ikke for tilbuddet.", "")
            }
        })
        .collect();
    let by = "Konsulent";
    let mut bulk = s.bulk().unwrap();
    for name in ["Bostedet Solhøj", "Botilbuddet Engen"] {
        let f = super::super::NewFacility {
            name: name.into(),
            organisation: "Region Syddanmark".into(),
            location: "Vejle".into(),
            tags: vec!["board".into()],
            ..Default::default()
        };
        let fid = bulk.facility(&f, "2020-01-10T09:00:00.000Z").unwrap();
        for year in [2021, 2022] {
            let at = format!("{year}-03-01T10:00:00.000Z");
            let signed = (year == 2021).then(|| {
                let done = format!("{year}-11-15T14:00:00.000Z");
                let record = crate::integrity::SignedRecord {
                    year: i64::from(year),
                    model_hash: &hash,
                    signer: Some(super::super::BulkLoader::SIGNER),
                    at: Some(&done),
                };
                let h = super::super::BulkLoader::signoff(&record, &rows, by, &at);
                (done, h)
            });
            let sig = signed.as_ref().map(|(a, h)| (a.as_str(), h.as_str()));
            let aid = bulk
                .assessment(fid, year, &model.id, &hash, by, &at, sig)
                .unwrap();
            bulk.audit("assessment.start", fid, Some(aid), None, by, &at)
                .unwrap();
            bulk.scores(aid, &rows, by, &at).unwrap();
            let (status, reason) = if year == 2021 {
                ("dropped", Some("Erstattet af en anden indsats"))
            } else {
                ("planned", None)
            };
            bulk.action(
                aid,
                rows[0].0,
                "Ny procedure for magtanvendelse",
                "Afdelingsleder",
                chrono::NaiveDate::from_ymd_opt(year + 1, 3, 31),
                status,
                reason,
                by,
                &at,
            )
            .unwrap();
            if let Some((done, _)) = &signed {
                bulk.audit(
                    "assessment.finalise",
                    fid,
                    Some(aid),
                    Some("{\"status\":\"finalised\",\"by\":\"Forstander\"}"),
                    by,
                    done,
                )
                .unwrap();
            }
        }
    }
    bulk.commit().unwrap();
    s
}

/// The bundle of what `sel` takes of `s`, as `export --format bundle` writes it.
fn bundle(s: &Store, sel: &Selection) -> String {
    let (facilities, assessments) = s.select(sel).unwrap();
    let models = s.bundle_models(&assessments).unwrap();
    let fs = s.bundle_facilities(&facilities);
    let mut w = BundleWriter::start(
        Vec::new(),
        "2023-01-05T08:00:00.000Z",
        "Konsulent",
        &models,
        &fs,
    )
    .unwrap();
    for a in &assessments {
        w.assessment(&s.bundle_assessment(a).unwrap()).unwrap();
    }
    s.for_each_audit_row(&facilities, &assessments, |row| {
        w.audit(&row).map_err(|source| crate::error::Error::Io {
            path: "bundle".into(),
            source,
        })
    })
    .unwrap();
    String::from_utf8(w.finish().unwrap()).unwrap()
}

/// A bundle changed by `change` (written back with its keys in serde's order, which puts
/// the assessments before the models and facilities: the reader's waiting path).
fn changed(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    change(&mut v);
    serde_json::to_string(&v).unwrap()
}

/// Imports `text` into both; the reports (or the errors' words) must agree, and so must
/// the rows. Returns the backend's outcome as text.
fn both<B: BundleImport + ?Sized>(
    b: &mut B,
    dump: &dyn Fn(&B) -> Vec<String>,
    reference: &mut Store,
    text: &str,
    on_conflict: OnConflict,
) -> Result<crate::exchange::ImportReport, String> {
    let want = reference
        .import_bundle_text("bundle.json", text, on_conflict, &stamp())
        .map_err(|e| e.to_string());
    let got = b
        .import_bundle_text("bundle.json", text, on_conflict, &stamp())
        .map_err(|e| e.to_string());
    assert_eq!(got, want);
    assert_eq!(dump(b), sqlite_dump(reference));
    got
}

/// A bundle gives the backend SQLite's rows and report; again, it finds all unchanged; a
/// bundle whose keys come in another order gives the same.
pub(crate) fn a_bundle_gives_the_same_rows_as_on_sqlite<B: BundleImport + ?Sized>(
    b: &mut B,
    dump: &dyn Fn(&B) -> Vec<String>,
) {
    let src = source();
    let text = bundle(&src, &Selection::Facility("Bostedet Solhøj".into(), None));
    let mut reference = Store::open_in_memory(&stamp()).unwrap();
    let first = both(b, dump, &mut reference, &text, OnConflict::Refuse).unwrap();
    assert_eq!(first.facilities_added, 1);
    assert_eq!(first.assessments_added, 2);
    assert!(first.scores_added > 40 && first.actions_added == 2);
    assert_eq!(first.audit_rows_added, 3);
    assert!(dump(b).iter().any(|r| r.contains("bundle.import")));
    let again = both(b, dump, &mut reference, &text, OnConflict::Refuse).unwrap();
    assert_eq!(again.assessments_unchanged, 2);
    assert_eq!(again.assessments_added + again.audit_rows_added, 0);
    // the whole database, its keys in another order: the first facility unchanged
    let all = changed(&bundle(&src, &Selection::All), |_| {});
    let third = both(b, dump, &mut reference, &all, OnConflict::Refuse).unwrap();
    assert_eq!(
        (third.assessments_added, third.assessments_unchanged),
        (2, 2)
    );
}

/// A bundle with an error anywhere (a score, the sign-off, a facility, an audit row, the
/// JSON itself) changes nothing and is refused with SQLite's words, naming the place.
pub(crate) fn a_bad_bundle_changes_nothing_and_names_the_place<B: BundleImport + ?Sized>(
    b: &mut B,
    dump: &dyn Fn(&B) -> Vec<String>,
) {
    let src = source();
    let mut reference = Store::open_in_memory(&stamp()).unwrap();
    let one = bundle(&src, &Selection::Facility("Bostedet Solhøj".into(), None));
    both(b, dump, &mut reference, &one, OnConflict::Refuse).unwrap();
    let before = dump(b);
    let all = bundle(&src, &Selection::All);
    let last = |v: &mut Value| -> usize { v["assessments"].as_array().unwrap().len() - 1 };
    let variants: Vec<(String, &str)> = vec![
        (
            changed(&all, |v| {
                let i = last(v);
                v["assessments"][i]["scores"][0]["value"] = 9.into();
            }),
            "scores[0]",
        ),
        (
            changed(&all, |v| {
                let i = last(v);
                v["assessments"][i]["facility"] = "Ukendt".into();
            }),
            "facility",
        ),
        (
            changed(&all, |v| {
                let rows = v["audit_log"].as_array_mut().unwrap();
                let n = rows.len() - 1;
                rows[n]["by"] = "Forfalsker".into();
            }),
            "audit_log",
        ),
        (all[..all.len() - 30].to_string(), "bundle.json"),
    ];
    for (text, place) in variants {
        let err = both(b, dump, &mut reference, &text, OnConflict::Refuse).unwrap_err();
        assert!(err.contains(place), "{err}");
        assert_eq!(dump(b), before, "{err}");
    }
}

/// A finalised assessment whose content the bundle changed, or whose signer it changed,
/// is refused (its sign-off no longer fits), with nothing written.
pub(crate) fn a_forged_bundle_is_refused<B: BundleImport + ?Sized>(
    b: &mut B,
    dump: &dyn Fn(&B) -> Vec<String>,
) {
    let src = source();
    let mut reference = Store::open_in_memory(&stamp()).unwrap();
    let all = bundle(&src, &Selection::All);
    let empty = dump(b);
    for forge in [
        (|v: &mut Value| v["assessments"][2]["scores"][1]["reasoning"] = "Godt".into())
            as fn(&mut Value),
        |v: &mut Value| v["assessments"][2]["finalised_by"] = "Ny leder".into(),
    ] {
        let text = changed(&all, forge);
        let err = both(b, dump, &mut reference, &text, OnConflict::Refuse).unwrap_err();
        assert!(err.contains("assessments[2]"), "{err}");
        assert_eq!(dump(b), empty);
    }
}

/// Conflicts: a changed draft is refused, replaced or kept beside; a changed finalised
/// one is refused unless replacing finalised ones is asked for; every outcome as SQLite's.
pub(crate) fn conflicts_are_decided_as_on_sqlite<B: BundleImport + ?Sized>(
    b: &mut B,
    dump: &dyn Fn(&B) -> Vec<String>,
) {
    let src = source();
    let mut reference = Store::open_in_memory(&stamp()).unwrap();
    let all = bundle(&src, &Selection::All);
    both(b, dump, &mut reference, &all, OnConflict::Refuse).unwrap();
    // the drafts (2022) are the second and fourth; the finalised ones the first and third
    let draft_changed = |why: &'static str| {
        changed(&all, move |v| {
            v["assessments"][1]["scores"][0]["reasoning"] = why.into();
        })
    };
    let refused = both(
        b,
        dump,
        &mut reference,
        &draft_changed("Nyt"),
        OnConflict::Refuse,
    );
    assert!(refused.unwrap_err().contains("2022"));
    let replaced = both(
        b,
        dump,
        &mut reference,
        &draft_changed("Nyt"),
        OnConflict::Replace,
    )
    .unwrap();
    assert_eq!(replaced.assessments_replaced, 1);
    let kept = both(
        b,
        dump,
        &mut reference,
        &draft_changed("Nyere"),
        OnConflict::KeepBoth,
    )
    .unwrap();
    assert_eq!(kept.assessments_added, 1);
    // a signed assessment turned back into a changed draft
    let unsigned = changed(&all, |v| {
        let a = &mut v["assessments"][0];
        a["status"] = "draft".into();
        a["finalised_by"] = Value::Null;
        a["finalised_at"] = Value::Null;
        a["signoff_hash"] = Value::Null;
        a["signoff_version"] = Value::Null;
        a["scores"][0]["reasoning"] = "Genåbnet".into();
    });
    let refused = both(b, dump, &mut reference, &unsigned, OnConflict::Replace);
    assert!(refused.unwrap_err().contains("2021"));
    let replaced = both(
        b,
        dump,
        &mut reference,
        &unsigned,
        OnConflict::ReplaceFinalised,
    )
    .unwrap();
    // the signed one, and the draft the bundle's own copy of 2022 now differs from
    assert!(replaced.replaced.iter().any(|r| r.year == 2021
        && r.old_status == crate::assessment::Status::Finalised
        && r.new_status == crate::assessment::Status::Draft));
    // the chain explains the reopening: the import's rows end with it
    assert!(dump(b).iter().any(|r| r.contains("assessment.reopen")));
}

/// The suite's import functions on SQLite (against a second SQLite database).
mod sqlite {
    fn fresh() -> super::Store {
        super::Store::open_in_memory(&super::stamp()).unwrap()
    }

    macro_rules! on_sqlite {
        ($($name:ident),* $(,)?) => {
            $(#[test] fn $name() { super::$name(&mut fresh(), &super::sqlite_dump); })*
        };
    }

    on_sqlite!(
        a_bundle_gives_the_same_rows_as_on_sqlite,
        a_bad_bundle_changes_nothing_and_names_the_place,
        a_forged_bundle_is_refused,
        conflicts_are_decided_as_on_sqlite,
    );
}
