//! Bundles carry their proof (issue 14, attack 3 and the undeclared model of attack 9):
//! a finalised assessment's sign-off hash and the bundle's audit chain are recomputed on
//! import, and a forged bundle is refused with the file and the JSON path.

mod common;

use common::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A demo database and its whole bundle.
fn demo_bundle() -> (Env, PathBuf) {
    let env = Env::new();
    env.ok(&["demo", "--facilities", "2", "--years", "3", "--seed", "1"]);
    let out = env.dir.path().join("all.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        out.to_str().unwrap(),
    ]);
    (env, out)
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The bundle changed by `change`, written beside it.
fn forged(env: &Env, bundle: &Path, change: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v = read(bundle);
    change(&mut v);
    env.file("forged.json", &v.to_string())
}

/// The index of the first finalised assessment.
fn first_finalised(v: &Value) -> usize {
    v["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["status"] == "finalised")
        .expect("the demo finalises assessments")
}

/// An empty database's refusal of `file`: one line, nothing created.
fn refused(file: &Path) -> String {
    let target = Env::new();
    target.ok(&["facility", "add", "Andet sted"]);
    target.fails(&["import", file.to_str().unwrap()])
}

#[test]
fn a_bundle_carries_sign_offs_and_a_chain_and_round_trips() {
    let (_env, first) = demo_bundle();
    let v = read(&first);
    let i = first_finalised(&v);
    assert_eq!(v["assessments"][i]["signoff_version"], 2);
    assert_eq!(
        v["assessments"][i]["signoff_hash"].as_str().unwrap().len(),
        64
    );
    let drafts = v["assessments"].as_array().unwrap();
    assert!(
        drafts
            .iter()
            .filter(|a| a["status"] == "draft")
            .all(|a| a.get("signoff_hash").is_none())
    );
    let rows = v["audit_log"].as_array().unwrap();
    assert!(rows.len() > 1);
    assert!(rows[0].get("prev_hash").is_none());
    assert_eq!(rows[1]["prev_hash"], rows[0]["hash"]);

    // export → import into an empty database → export gives the same bundle
    let b = Env::new();
    b.ok(&["import", first.to_str().unwrap()]);
    b.ok(&["verify"]);
    let second = b.dir.path().join("second.json");
    b.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        second.to_str().unwrap(),
    ]);
    let (mut x, mut y) = (read(&first), read(&second));
    x["exported_at"] = Value::Null;
    y["exported_at"] = Value::Null;
    assert_eq!(x, y);
}

#[test]
fn a_changed_finalised_score_is_refused_with_its_path() {
    let (env, bundle) = demo_bundle();
    let mut at = 0;
    let file = forged(&env, &bundle, |v| {
        at = first_finalised(v);
        let s = &mut v["assessments"][at]["scores"][0]["value"];
        *s = Value::from(if s == 5 { 4 } else { 5 });
    });
    let err = refused(&file);
    assert!(
        err.contains(&format!("assessments[{at}].signoff_hash")),
        "{err}"
    );
    assert!(err.contains("forged.json"), "{err}");
    // so is a changed signer, and a sign-off hash that was swapped for another
    let file = forged(&env, &bundle, |v| {
        v["assessments"][at]["finalised_by"] = "Forger".into();
    });
    assert!(refused(&file).contains("signoff_hash"));
}

#[test]
fn a_finalised_assessment_that_sign_off_would_refuse_is_refused() {
    let (env, bundle) = demo_bundle();
    let mut at = 0;
    // an older bundle carries no hash: the completeness is checked all the same
    let file = forged(&env, &bundle, |v| {
        at = first_finalised(v);
        let a = v["assessments"][at].as_object_mut().unwrap();
        a.remove("signoff_hash");
        a.remove("signoff_version");
        a["scores"].as_array_mut().unwrap().truncate(3);
    });
    let err = refused(&file);
    assert!(err.contains(&format!("assessments[{at}].status")), "{err}");
    assert!(err.contains("unscored"), "{err}");
}

#[test]
fn a_changed_left_out_or_inserted_audit_row_is_refused() {
    let (env, bundle) = demo_bundle();
    let file = forged(&env, &bundle, |v| {
        v["audit_log"][1]["by"] = "Forger".into();
    });
    let err = refused(&file);
    assert!(err.contains("audit_log[1].hash"), "{err}");
    let file = forged(&env, &bundle, |v| {
        v["audit_log"].as_array_mut().unwrap().remove(0);
    });
    let err = refused(&file);
    // the first row now names a previous one the bundle does not hold
    assert!(err.contains("audit_log[0].prev_hash"), "{err}");
    let file = forged(&env, &bundle, |v| {
        let mut row = v["audit_log"][0].clone();
        let row = row.as_object_mut().unwrap();
        row.remove("hash");
        row.remove("prev_hash");
        v["audit_log"]
            .as_array_mut()
            .unwrap()
            .push(Value::Object(row.clone()));
    });
    let err = refused(&file);
    assert!(err.contains("].hash"), "{err}");
}

#[test]
fn a_bundle_declaring_a_model_it_does_not_carry_is_refused() {
    let (env, bundle) = demo_bundle();
    let file = forged(&env, &bundle, |v| {
        let mut m = v["models"][0].clone();
        m["hash"] = "ab".repeat(32).into();
        m["id"] = "socialtilsyn-2099".into();
        v["models"].as_array_mut().unwrap().push(m);
    });
    let err = refused(&file);
    assert!(err.contains("models[") && err.contains("].hash"), "{err}");
    assert!(err.contains("socialtilsyn-2099"), "{err}");
}

#[test]
fn a_bundle_without_proof_imports_on_the_importers_word() {
    let (env, bundle) = demo_bundle();
    let file = forged(&env, &bundle, |v| {
        for a in v["assessments"].as_array_mut().unwrap() {
            let a = a.as_object_mut().unwrap();
            a.remove("signoff_hash");
            a.remove("signoff_version");
        }
        for r in v["audit_log"].as_array_mut().unwrap() {
            let r = r.as_object_mut().unwrap();
            r.remove("hash");
            r.remove("prev_hash");
        }
    });
    let b = Env::new();
    b.ok(&["import", file.to_str().unwrap()]);
    b.ok(&["verify"]);
    // and it is signed off here again, so its export carries the proof
    let again = b.dir.path().join("again.json");
    b.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        again.to_str().unwrap(),
    ]);
    let v = read(&again);
    let i = first_finalised(&v);
    assert_eq!(
        v["assessments"][i]["signoff_hash"],
        read(&bundle)["assessments"][i]["signoff_hash"]
    );
}

#[test]
fn an_export_does_not_vouch_for_an_audit_row_changed_behind_the_programs_back() {
    let (env, _) = demo_bundle();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute(
            "UPDATE audit_log SET by = 'Forger' WHERE id = (SELECT min(id) FROM audit_log WHERE facility_id IS NOT NULL)",
            [],
        )
        .unwrap();
    }
    let out = env.dir.path().join("after.json");
    let err = env.fails(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("audit row") || err.contains("revisionsspor-række"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_sign_off_of_encoding_1_travels_in_encoding_1() {
    let (env, _) = demo_bundle();
    {
        // a sign-off written before encoding 2, as an older database holds it
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER assessments_signoff_by_chain; DROP TRIGGER assessments_signed_locked;",
        )
        .unwrap();
        let (id, model): (i64, String) = conn
            .query_row(
                "SELECT id, model_hash FROM assessments WHERE status = 'finalised' ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT indicator_id, value, not_relevant, reasoning, sources FROM scores WHERE assessment_id = ?1")
            .unwrap();
        let rows: Vec<(String, Option<u8>, bool, String, String)> = stmt
            .query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let hash = tilsynsklar::assessment::signoff_hash(
            &model,
            rows.iter()
                .map(|(i, v, n, r, s)| (i.as_str(), *v, *n, r.as_str(), s.as_str())),
        );
        conn.execute(
            "UPDATE assessments SET signoff_version = 1, signoff_hash = ?2 WHERE id = ?1",
            rusqlite::params![id, hash],
        )
        .unwrap();
    }
    let first = env.dir.path().join("v1.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        first.to_str().unwrap(),
    ]);
    let v = read(&first);
    let i = first_finalised(&v);
    assert_eq!(v["assessments"][i]["signoff_version"], 1);
    let b = Env::new();
    b.ok(&["import", first.to_str().unwrap()]);
    b.ok(&["verify"]);
    let second = b.dir.path().join("again.json");
    b.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        second.to_str().unwrap(),
    ]);
    let (mut x, mut y) = (v, read(&second));
    x["exported_at"] = Value::Null;
    y["exported_at"] = Value::Null;
    assert_eq!(x, y);
    // encoding 1 does not cover the signer; the completeness and the scores it does
    let file = forged(&env, &first, |v| {
        v["assessments"][i]["scores"][0]["reasoning"] = "forged".into();
    });
    assert!(refused(&file).contains(&format!("assessments[{i}].signoff_hash")));
}
