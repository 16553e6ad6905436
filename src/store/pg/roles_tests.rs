//! The region's roles on a throwaway server: `region init` twice changes nothing; a
//! leader through psql writes only their own facility's rows; management writes nothing;
//! a consultant manages facilities but not scores; the audit log only grows; the
//! refusals come back through `PgStore` as one Danish line; the chain stays whole under
//! many writers at once; TLS with `verify-full` against the region's own CA.

use super::cluster::{as_role, cluster, psql, run_psql, tls_cluster};
use super::{PgStore, RegionGroup};
use crate::error::{Error, Refusal};
use crate::i18n::Lang;
use crate::integrity::{AuditFields, link_hash};
use crate::store::NewFacility;
use crate::store::backend::{Facilities, Settings};
use crate::store::backend_suite::stamp;

/// The test database's name in its URL (roles belong to the whole cluster: each test's
/// role names carry it, so that tests running at once do not meet).
fn db_name(url: &str) -> String {
    let path = url.split('?').next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default().to_string()
}

fn facility(s: &mut PgStore, name: &str) -> i64 {
    s.add_facility(
        &NewFacility {
            name: name.into(),
            ..Default::default()
        },
        &stamp(),
    )
    .unwrap()
    .id
}

/// One number from the superuser's connection.
fn count(s: &PgStore, sql: &str) -> i64 {
    s.client.borrow_mut().query_one(sql, &[]).unwrap().get(0)
}

/// Facilities 1 (Solhøj) and 2 (Bakken), each with a draft for 2026, a score of 1a and an
/// improvement action on 1a; then the region's roles, and `leader` leading Solhøj.
struct Region {
    url: String,
    owner: PgStore,
    /// The drafts of facility 1 and 2.
    a: [i64; 2],
    /// The improvement actions of facility 1 and 2.
    act: [i64; 2],
    leader: String,
    consultant: String,
    management: String,
}

fn region() -> Option<Region> {
    let url = cluster()?.fresh_database();
    let mut owner = PgStore::connect(&url, &stamp()).unwrap();
    let f1 = facility(&mut owner, "Solhøj");
    let f2 = facility(&mut owner, "Bakken");
    let mut a = [0; 2];
    let mut act = [0; 2];
    {
        let mut c = owner.client.borrow_mut();
        let hash: String = c
            .query_one(
                "SELECT hash FROM models WHERE id = 'socialtilsyn-2017' AND active",
                &[],
            )
            .unwrap()
            .get(0);
        for (i, f) in [f1, f2].into_iter().enumerate() {
            a[i] = c
                .query_one(
                    "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
                     VALUES ($1, 2026, 'socialtilsyn-2017', $2, 'x', 'now') RETURNING id",
                    &[&f, &hash],
                )
                .unwrap()
                .get(0);
            c.execute(
                "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES ($1, '1a', 3, 'x', 'now')",
                &[&a[i]],
            )
            .unwrap();
            act[i] = c
                .query_one(
                    "INSERT INTO improvement_actions (assessment_id, text, created_by, created_at, updated_at)
                     VALUES ($1, 'Mere personaleuddannelse', 'x', 'now', 'now') RETURNING id",
                    &[&a[i]],
                )
                .unwrap()
                .get(0);
            c.execute(
                "INSERT INTO action_indicators (action_id, indicator_id) VALUES ($1, '1a')",
                &[&act[i]],
            )
            .unwrap();
        }
    }
    owner.region_init().unwrap();
    let db = db_name(&url);
    let (leader, consultant, management) = (
        format!("leder_{db}"),
        format!("konsulent_{db}"),
        format!("ledelse_{db}"),
    );
    assert!(
        owner
            .region_grant(RegionGroup::Leader, &leader, Some("Solhøj"))
            .unwrap()
    );
    owner
        .region_grant(RegionGroup::Consultant, &consultant, None)
        .unwrap();
    owner
        .region_grant(RegionGroup::Management, &management, None)
        .unwrap();
    Some(Region {
        url,
        owner,
        a,
        act,
        leader,
        consultant,
        management,
    })
}

/// What the server's catalogue says about the roles: policies, grants, triggers, the
/// row-level security flags (to compare before and after a second `region init`).
fn catalogue(s: &PgStore) -> Vec<String> {
    let mut c = s.client.borrow_mut();
    let mut out = Vec::new();
    for sql in [
        "SELECT tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies ORDER BY 1",
        "SELECT table_name || ' ' || grantee || ' ' || privilege_type FROM information_schema.role_table_grants WHERE grantee LIKE 'tilsynsklar_%' ORDER BY 1",
        "SELECT event_object_table || ' ' || trigger_name || ' ' || event_manipulation FROM information_schema.triggers ORDER BY 1",
        "SELECT relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1",
        "SELECT count(*)::text FROM facility_leaders",
    ] {
        out.extend(
            c.query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0)),
        );
    }
    out
}

#[test]
fn region_init_twice_changes_nothing_and_sets_up_every_table() {
    let Some(r) = region() else { return };
    let before = catalogue(&r.owner);
    r.owner.region_init().unwrap();
    assert_eq!(catalogue(&r.owner), before);
    for table in [
        "assessments",
        "scores",
        "improvement_actions",
        "action_indicators",
    ] {
        assert!(
            before.contains(&format!("{table} true true")),
            "{table}: {before:?}"
        );
    }
    assert!(
        before
            .iter()
            .any(|l| l == "facilities tilsynsklar_consultant INSERT")
    );
    assert!(
        !before
            .iter()
            .any(|l| l.starts_with("audit_log") && l.ends_with("UPDATE"))
    );
    // who may do what
    let members = r.owner.region_members().unwrap();
    let leader = members.iter().find(|m| m.name == r.leader).unwrap();
    assert_eq!(leader.group, RegionGroup::Leader);
    assert_eq!(leader.facilities, vec![(1, "Solhøj".to_string())]);
    assert!(leader.can_login);
    assert!(
        members
            .iter()
            .any(|m| m.name == r.management && m.group == RegionGroup::Management)
    );
}

#[test]
fn a_leader_through_psql_writes_only_their_own_facility() {
    let Some(psql) = psql() else { return };
    let Some(r) = region() else { return };
    let me = as_role(&r.url, &r.leader);
    let [a1, a2] = r.a;
    let [act1, act2] = r.act;
    let hash = "(SELECT hash FROM models WHERE id = 'socialtilsyn-2017' AND active)";
    let refused = |sql: &str| {
        let e = run_psql(&psql, &me, sql).expect_err(sql);
        assert!(
            e.contains("not registered as a leader of facility 2"),
            "{sql}: {e}"
        );
    };
    // facility 2: every new or moved row refused out loud, every change or delete finds nothing
    refused(&format!(
        "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at) VALUES (2, 2027, 'socialtilsyn-2017', {hash}, 'x', 'now')"
    ));
    refused(&format!(
        "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES ({a2}, '1b', 2, 'x', 'now')"
    ));
    refused(&format!(
        "INSERT INTO improvement_actions (assessment_id, text, created_by, created_at, updated_at) VALUES ({a2}, 't', 'x', 'n', 'n')"
    ));
    refused(&format!(
        "INSERT INTO action_indicators (action_id, indicator_id) VALUES ({act2}, '1b')"
    ));
    refused(&format!(
        "UPDATE assessments SET facility_id = 2 WHERE id = {a1}"
    ));
    for sql in [
        format!("UPDATE assessments SET year = 2025 WHERE id = {a2} RETURNING id"),
        format!("UPDATE scores SET value = 5 WHERE assessment_id = {a2} RETURNING value"),
        format!("UPDATE improvement_actions SET text = 'ændret' WHERE id = {act2} RETURNING id"),
        format!("DELETE FROM action_indicators WHERE action_id = {act2} RETURNING action_id"),
        format!("DELETE FROM improvement_actions WHERE id = {act2} RETURNING id"),
        format!("DELETE FROM scores WHERE assessment_id = {a2} RETURNING value"),
        format!("DELETE FROM assessments WHERE id = {a2} RETURNING id"),
    ] {
        assert_eq!(run_psql(&psql, &me, &sql).unwrap(), "", "{sql}");
    }
    // nothing of facility 2 changed
    assert_eq!(
        count(
            &r.owner,
            &format!("SELECT value FROM scores WHERE assessment_id = {a2}")
        ),
        3
    );
    assert_eq!(
        count(
            &r.owner,
            &format!("SELECT count(*) FROM action_indicators WHERE action_id = {act2}")
        ),
        1
    );
    assert_eq!(
        count(
            &r.owner,
            &format!("SELECT year::bigint FROM assessments WHERE id = {a2}")
        ),
        2026
    );
    // facility 1: allowed
    for sql in [
        format!(
            "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES ({a1}, '1b', 2, 'x', 'now') RETURNING value"
        ),
        format!(
            "UPDATE scores SET value = 5 WHERE assessment_id = {a1} AND indicator_id = '1a' RETURNING value"
        ),
        format!(
            "INSERT INTO action_indicators (action_id, indicator_id) VALUES ({act1}, '1b') RETURNING 1"
        ),
        format!("UPDATE improvement_actions SET text = 'ændret' WHERE id = {act1} RETURNING 1"),
        format!(
            "DELETE FROM scores WHERE assessment_id = {a1} AND indicator_id = '1b' RETURNING 2"
        ),
        format!(
            "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at) VALUES (1, 2027, 'socialtilsyn-2017', {hash}, 'x', 'now') RETURNING 1"
        ),
    ] {
        assert!(!run_psql(&psql, &me, &sql).unwrap().is_empty(), "{sql}");
    }
    assert_eq!(
        count(
            &r.owner,
            &format!("SELECT value FROM scores WHERE assessment_id = {a1} AND indicator_id = '1a'")
        ),
        5
    );
    // the audit log only grows, and a leader's rows name the leader
    for sql in [
        "UPDATE audit_log SET by = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let e = run_psql(&psql, &me, sql).expect_err(sql);
        assert!(
            e.contains("permission denied for table audit_log"),
            "{sql}: {e}"
        );
    }
    let e = run_psql(
        &psql,
        &me,
        "INSERT INTO audit_log (id, at, by, action) VALUES (1000, 'now', 'en anden', 'x')",
    )
    .unwrap_err();
    assert!(e.contains("must name"), "{e}");
    // reads are open; the facilities are the consultants'
    assert_eq!(
        run_psql(&psql, &me, "SELECT count(*) FROM scores").unwrap(),
        "2"
    );
    let e = run_psql(&psql, &me, "UPDATE facilities SET name = 'x'").unwrap_err();
    assert!(e.contains("permission denied for table facilities"), "{e}");
}

#[test]
fn management_writes_nothing_and_a_consultant_manages_facilities_not_scores() {
    let Some(psql) = psql() else { return };
    let Some(r) = region() else { return };
    let management = as_role(&r.url, &r.management);
    let consultant = as_role(&r.url, &r.consultant);
    let [a1, _] = r.a;
    let writes = [
        "INSERT INTO facilities (name, name_key, created_at) VALUES ('Ny', 'ny', 'now')"
            .to_string(),
        format!("UPDATE scores SET value = 1 WHERE assessment_id = {a1}"),
        format!("DELETE FROM improvement_actions WHERE assessment_id = {a1}"),
        "INSERT INTO settings (key, value) VALUES ('k', 'v')".to_string(),
        "INSERT INTO facility_leaders VALUES ('x', 1)".to_string(),
        "DELETE FROM audit_log".to_string(),
    ];
    for sql in &writes {
        let e = run_psql(&psql, &management, sql).expect_err(sql);
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    assert_eq!(
        run_psql(&psql, &management, "SELECT count(*) FROM assessments").unwrap(),
        "2"
    );
    // the consultant adds a facility and says who leads it, and touches no score
    run_psql(&psql, &consultant, &writes[0]).unwrap();
    run_psql(
        &psql,
        &consultant,
        "INSERT INTO facility_leaders VALUES ('x', 3)",
    )
    .unwrap();
    for sql in &writes[1..3] {
        let e = run_psql(&psql, &consultant, sql).expect_err(sql);
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    assert_eq!(count(&r.owner, "SELECT count(*) FROM facilities"), 3);
    assert_eq!(count(&r.owner, "SELECT count(*) FROM scores"), 2);
}

#[test]
fn the_store_as_a_leader_is_refused_in_one_danish_line_and_changes_nothing() {
    let Some(r) = region() else { return };
    let mut leader = PgStore::connect(&as_role(&r.url, &r.leader), &stamp()).unwrap();
    let facilities = count(&r.owner, "SELECT count(*) FROM facilities");
    let audit = count(&r.owner, "SELECT count(*) FROM audit_log");
    let e = leader
        .add_facility(
            &NewFacility {
                name: "Ny".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap_err();
    assert!(
        matches!(&e, Error::ServerRefused { refusal: Refusal::Table { table: Some(t) }, .. } if t == "facilities"),
        "{e:?}"
    );
    let line = e.localized(Lang::Da);
    assert!(line.contains("serveren tillader ikke din rolle at ændre tilbud: det må kun regionens kvalitetskonsulenter"), "{line}");
    assert!(
        !line.contains('\n') && !line.contains("postgres@"),
        "{line}"
    );
    assert!(
        e.localized(Lang::En)
            .contains("does not allow your role to change facilities")
    );
    let e = leader
        .set_gap_rule("indicator_gap_max", "2", &stamp())
        .unwrap_err();
    assert!(e.localized(Lang::Da).contains("ændre indstillinger"), "{e}");
    // a row of a facility the leader does not lead: named in the refusal
    let e = leader
        .client
        .borrow_mut()
        .execute(
            "UPDATE scores SET value = 5 WHERE assessment_id = $1",
            &[&r.a[1]],
        )
        .map(|n| n.to_string());
    assert_eq!(
        e.unwrap(),
        "0",
        "another facility's rows are out of a leader's reach"
    );
    let hash: String = r
        .owner
        .client
        .borrow_mut()
        .query_one(
            "SELECT model_hash FROM assessments WHERE id = $1",
            &[&r.a[0]],
        )
        .unwrap()
        .get(0);
    let e = leader
        .client
        .borrow_mut()
        .execute(
            "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
             VALUES (2, 2030, 'socialtilsyn-2017', $1, 'x', 'now')",
            &[&hash],
        )
        .unwrap_err();
    let line = super::server_error(&leader.server, &e).localized(Lang::Da);
    assert!(
        line.ends_with("serveren tillader ikke at ændre tilbuddet Bakken: du er ikke registreret som leder af det"),
        "{line}"
    );
    assert_eq!(
        count(&r.owner, "SELECT count(*) FROM facilities"),
        facilities
    );
    assert_eq!(count(&r.owner, "SELECT count(*) FROM audit_log"), audit);
    assert_eq!(count(&r.owner, "SELECT count(*) FROM assessments"), 2);
    // a consultant's writes go through, and the log names the role the server saw
    let mut consultant = PgStore::connect(&as_role(&r.url, &r.consultant), &stamp()).unwrap();
    consultant
        .add_facility(
            &NewFacility {
                name: "Engen".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let by: String = r
        .owner
        .client
        .borrow_mut()
        .query_one("SELECT by FROM audit_log ORDER BY id DESC LIMIT 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(by, r.consultant, "not the program's --user (tester)");
    assert_whole_chain(&r.owner);
}

/// Every audit row follows the one before it: ids 1, 2, …, each `prev_hash` the hash
/// before it, each hash its own fields'.
fn assert_whole_chain(s: &PgStore) -> usize {
    let rows = s
        .client
        .borrow_mut()
        .query(
            "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
             FROM audit_log ORDER BY id",
            &[],
        )
        .unwrap();
    let mut previous = String::new();
    for (i, r) in rows.iter().enumerate() {
        let row = AuditFields {
            id: r.get(0),
            at: r.get(1),
            by: r.get(2),
            action: r.get(3),
            facility_id: r.get(4),
            assessment_id: r.get(5),
            subject: r.get(6),
            old_value: r.get(7),
            new_value: r.get(8),
            reason: r.get(9),
        };
        assert_eq!(row.id, i as i64 + 1);
        assert_eq!(
            r.get::<_, Option<String>>(10).unwrap_or_default(),
            previous,
            "row {}",
            row.id
        );
        let hash = link_hash(&previous, &row);
        assert_eq!(
            r.get::<_, Option<String>>(11).as_deref(),
            Some(hash.as_str()),
            "row {}",
            row.id
        );
        previous = hash;
    }
    rows.len()
}

#[test]
fn the_chain_stays_whole_with_many_writers_at_once() {
    let Some(r) = region() else { return };
    let before = count(&r.owner, "SELECT count(*) FROM audit_log") as usize;
    let (threads, each) = (8, 12);
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            // half as the superuser, half as the consultant (the server's trigger checks those)
            let url = if t % 2 == 0 {
                r.url.clone()
            } else {
                as_role(&r.url, &r.consultant)
            };
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url, &stamp()).unwrap();
                for i in 0..each {
                    facility(&mut s, &format!("Tilbud {t}-{i}"));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(assert_whole_chain(&r.owner), before + threads * each);
}

#[test]
fn the_region_commands_run_from_the_command_line_and_refuse_a_file() {
    let Some(r) = region() else { return };
    let run = |args: &[&str]| {
        let mut all = vec!["tilsynsklar", "--db", r.url.as_str()];
        all.extend_from_slice(args);
        crate::cli::run(crate::cli::parse_from(all, Lang::Da).unwrap())
    };
    run(&["region", "init"]).unwrap();
    let name = format!("ny_{}", db_name(&r.url));
    run(&["region", "grant", "--leader", &name, "--facility", "2"]).unwrap();
    run(&["region", "show"]).unwrap();
    let led = |s: &PgStore| {
        count(
            s,
            &format!(
                "SELECT count(*) FROM facility_leaders WHERE role_name = '{name}' AND facility_id = 2"
            ),
        )
    };
    assert_eq!(led(&r.owner), 1);
    run(&[
        "region",
        "revoke",
        "--leader",
        &name,
        "--facility",
        "Bakken",
    ])
    .unwrap();
    assert_eq!(led(&r.owner), 0);
    let members = r.owner.region_members().unwrap();
    assert!(
        !members.iter().any(|m| m.name == name),
        "no facility left: out of the group"
    );
    // a file is not a server
    let e = crate::cli::run(
        crate::cli::parse_from(
            ["tilsynsklar", "--db", "/tmp/x.db", "region", "show"],
            Lang::Da,
        )
        .unwrap(),
    )
    .unwrap_err();
    assert!(
        e.localized(Lang::Da)
            .starts_with("region kræver en PostgreSQL-server"),
        "{e}"
    );
    // clap: a leader needs a facility
    assert!(
        crate::cli::parse_from(
            ["tilsynsklar", "region", "grant", "--leader", "x"],
            Lang::Da
        )
        .is_err()
    );
}

#[test]
fn verify_full_connects_with_the_region_root_and_refuses_another() {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    if cluster().is_none() {
        return;
    }
    let ca = |name: &str| {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(rcgen::DnType::CommonName, name);
        CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
    };
    let region_ca = ca("Region CA");
    let other_ca = ca("Another CA");
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &region_ca)
        .unwrap();
    let server = tls_cluster(&cert.pem(), &key.serialize_pem()).expect("a TLS cluster");
    let dir = tempfile::tempdir().unwrap();
    let (right, wrong) = (dir.path().join("region.crt"), dir.path().join("other.crt"));
    std::fs::write(&right, region_ca.pem()).unwrap();
    std::fs::write(&wrong, other_ca.pem()).unwrap();
    let url = |host: &str, mode: &str, root: &std::path::Path| {
        format!(
            "postgres://postgres@{host}:{}/postgres?sslmode={mode}&sslrootcert={}",
            server.port,
            root.display()
        )
    };
    let s = PgStore::connect(&url("localhost", "verify-full", &right), &stamp()).unwrap();
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"
        ),
        1
    );
    drop(s);
    // verify-ca checks the root, not the name
    PgStore::connect(&url("127.0.0.1", "verify-ca", &right), &stamp()).unwrap();
    for (host, mode, root, problem) in [
        (
            "localhost",
            "verify-full",
            &wrong,
            "det er ikke udstedt af rodcertifikatet (sslrootcert)",
        ),
        (
            "127.0.0.1",
            "verify-full",
            &right,
            "det gælder ikke for serverens navn i adressen",
        ),
        (
            "localhost",
            "verify-ca",
            &wrong,
            "det er ikke udstedt af rodcertifikatet (sslrootcert)",
        ),
    ] {
        let e = PgStore::connect(&url(host, mode, root), &stamp())
            .err()
            .expect("refused");
        assert!(matches!(e, Error::ServerTls { .. }), "{e:?}");
        let line = e.localized(Lang::Da);
        assert!(
            line.ends_with(&format!(
                "forbindelsen kan ikke sikres: serverens certifikat afvises: {problem}"
            )),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }
    // without TLS the same server still answers (its pg_hba allows it)
    let plain = PgStore::connect(&url("localhost", "disable", &right), &stamp()).unwrap();
    assert_eq!(
        count(
            &plain,
            "SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"
        ),
        0
    );
}
