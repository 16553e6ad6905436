//! Damage is named (issue 14, attack 6): a stored text that is not UTF-8 makes
//! `assessment show` and every export refuse in one line naming its table, row and
//! column, and change nothing.

mod common;

use common::Env;

#[test]
fn a_text_that_is_not_utf8_is_named_by_show_and_every_export() {
    let env = Env::new();
    let id = env.facility_with_assessment();
    env.ok(&[
        "score", "set", "-a", &id, "-i", "1a", "-v", "3", "--reason", "ok",
    ]);
    env.ok(&[
        "score", "set", "-a", &id, "-i", "1b", "-v", "4", "--reason", "ok",
    ]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let n = conn
            .execute(
                "UPDATE scores SET reasoning = CAST(x'4fc328' AS TEXT) WHERE assessment_id = ?1 AND indicator_id = '1b'",
                [&id],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let named = |err: &str| {
        assert!(!err.contains("invalid utf-8"), "{err}");
        assert!(
            err.contains("scores")
                && err.contains(&format!("{id} 1b"))
                && err.contains("reasoning"),
            "{err}"
        );
    };
    let err = env.fails(&["assessment", "show", "-a", &id]);
    named(&err);
    assert!(err.contains("ikke UTF-8"), "{err}");
    let err = env.fails(&["--lang", "en", "assessment", "show", "-a", &id]);
    named(&err);
    assert!(err.contains("not UTF-8"), "{err}");
    for format in ["json", "csv", "xlsx", "html", "md"] {
        let out = env.dir.path().join(format!("out.{format}"));
        let err = env.fails(&[
            "export",
            "--format",
            format,
            "--all",
            "-o",
            out.to_str().unwrap(),
        ]);
        named(&err);
        assert!(!out.exists(), "{format}: a partial file was left");
    }
    // verify names it as well, and the database still opens for the rest
    let out = env.cmd(&["verify"]).output().unwrap();
    assert!(!out.status.success());
    env.ok(&["facility", "list"]);
}
