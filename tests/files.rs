//! Files never destroy data: exports, backups and new databases, against the real binary.

mod common;

use common::Env;
#[cfg(unix)]
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn export_refuses_the_database_in_use_and_existing_files_without_force() {
    let env = Env::new();
    env.facility_with_assessment();
    let db = env.db.to_str().unwrap().to_string();
    for target in [db.clone(), format!("{db}-wal"), format!("{db}-shm")] {
        let err = env.fails(&["export", "--format", "csv", "-a", "1", "-o", &target]);
        assert!(err.contains("det er databasen i brug"), "{err}");
    }
    env.ok(&["doctor"]);
    let out = env.file("s.csv", "keep me");
    let err = env.fails(&[
        "export",
        "--format",
        "csv",
        "-a",
        "1",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("findes allerede") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "-a",
        "1",
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("Bostedet Solhøj")
    );
}

#[cfg(unix)]
#[test]
fn export_never_replaces_links_fifos_or_devices() {
    let env = Env::new();
    env.facility_with_assessment();
    let kept = env.file("kept.txt", "kept");
    let link = env.dir.path().join("link.csv");
    std::os::unix::fs::symlink(&kept, &link).unwrap();
    let fifo = env.dir.path().join("fifo.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for target in [link.as_path(), fifo.as_path(), Path::new("/dev/null")] {
        let err = env.fails(&[
            "export",
            "--format",
            "csv",
            "-a",
            "1",
            "-o",
            target.to_str().unwrap(),
            "--force",
        ]);
        assert!(err.contains("ikke en almindelig fil"), "{err}");
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "kept");
}

#[cfg(unix)]
#[test]
fn dangling_links_are_refused_for_backups_and_new_databases() {
    let env = Env::new();
    env.facility_with_assessment();
    let target = env.dir.path().join("elsewhere.db");
    let link = env.dir.path().join("copy.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = env.fails(&["backup", link.to_str().unwrap()]);
    assert!(err.contains("peger på intet"), "{err}");
    assert!(!target.exists());
    // a backup is 0600, and never written over an existing file
    let copy = env.dir.path().join("real-copy.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o600);
    env.fails(&["backup", copy.to_str().unwrap()]);

    let other = Env::new();
    let target = other.dir.path().join("target.db");
    std::os::unix::fs::symlink(&target, &other.db).unwrap();
    let err = other.fails(&["facility", "add", "X"]);
    assert!(err.contains("peger på intet"), "{err}");
    assert!(!target.exists());
    // a new database is 0600
    let fresh = Env::new();
    fresh.ok(&["facility", "add", "X"]);
    assert_eq!(mode(&fresh.db), 0o600);
}

#[test]
fn a_read_only_command_on_a_missing_database_creates_nothing() {
    let base = Env::new();
    let typo = base.dir.path().join("typo").join("x.db");
    let env = Env {
        db: typo.clone(),
        dir: tempfile::tempdir().unwrap(),
    };
    for args in [
        vec!["verify"],
        vec!["doctor"],
        vec!["privacy"],
        vec!["export", "--format", "json", "--all"],
        vec!["assessment", "list"],
        vec!["facility", "list"],
    ] {
        let out = env.cmd(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("her er ingen database (intet er oprettet)"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!typo.parent().unwrap().exists());
    // :memory: is refused, and no file of that name appears
    let memory = Env {
        db: ":memory:".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    for args in [vec!["facility", "add", "X"], vec!["verify"]] {
        let out = memory
            .cmd(&args)
            .current_dir(memory.dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(":memory: er ikke en databasefil"), "{err}");
    }
    assert!(!memory.dir.path().join(":memory:").exists());
}

#[cfg(unix)]
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    let env = Env::new();
    env.ok(&[
        "demo",
        "--facilities",
        "30",
        "--years",
        "6",
        "--from-year",
        "2018",
    ]);
    let out_dir = env.dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("all.json");
    let mut interrupted = 0;
    for signal in ["INT", "TERM", "HUP", "INT", "TERM", "HUP"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tilsynsklar"))
            .env("TILSYNSKLAR_USER", "mette")
            .arg("--db")
            .arg(&env.db)
            .args([
                "export",
                "--format",
                "json",
                "--all",
                "-o",
                out.to_str().unwrap(),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // wait for the temporary file, then interrupt
        let start = std::time::Instant::now();
        let mut seen = false;
        while start.elapsed() < std::time::Duration::from_secs(20) {
            if std::fs::read_dir(&out_dir).unwrap().next().is_some() {
                seen = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(seen, "no temporary file appeared");
        std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        let left: Vec<_> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        if status.success() {
            // the export won the race: the whole file, and nothing else
            assert_eq!(left, vec![out.clone()], "{signal}");
            std::fs::remove_file(&out).unwrap();
        } else {
            interrupted += 1;
            assert!(left.is_empty(), "{signal}: {left:?}");
        }
    }
    assert!(interrupted > 0, "every export finished before the signal");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_says_what_to_fix_and_leaves_no_blocking_side_files() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if is_root {
        // root writes through any mode: nothing to test
        eprintln!(
            "skipped: a_read_only_file_says_what_to_fix_and_leaves_no_blocking_side_files runs as root"
        );
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let set = |mode: u32| {
        std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(0o400);
    env.ok(&["facility", "list"]);
    let err = env.fails(&["facility", "add", "Ny"]);
    assert!(
        err.contains("skrivebeskyttet") && err.contains("chmod u+w"),
        "{err}"
    );
    set(0o600);
    env.ok(&["facility", "add", "Ny"]);
    assert!(env.ok(&["facility", "list"]).contains("Ny"));
}
