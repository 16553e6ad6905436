//! A throwaway PostgreSQL cluster for the tests: one per test binary, started on first
//! use (initdb into a temporary directory, listening only on a Unix socket there), a
//! fresh database per test, stopped and removed when the test binary ends (a watcher
//! process waits for the end of its stdin, which closes with the binary however it ends).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A running cluster.
pub(crate) struct Cluster {
    dir: PathBuf,
    next: AtomicUsize,
    /// How long initdb and the start took.
    pub(crate) started_in: Duration,
    // held open for the life of the binary: its end tells the watcher to stop the server
    _watcher: Mutex<ChildStdin>,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// The directory of PostgreSQL's server programs: `pg_config --bindir` where it holds
/// `initdb` (Debian's `pg_config` may name `/usr/bin`, which does not), else the `PATH`'s,
/// else the newest `/usr/lib/postgresql/*/bin`.
fn bindir() -> Option<PathBuf> {
    let from_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_config.filter(|d| d.join("initdb").is_file()) {
        return Some(dir);
    }
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p).find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail
    unsafe { libc::geteuid() == 0 }
}

/// `program` run as the `postgres` user when this is root (initdb and postgres refuse root).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn start() -> Result<Cluster, String> {
    let t = Instant::now();
    let bin = bindir().ok_or("no PostgreSQL server programs (initdb) found")?;
    let dir = tempfile::Builder::new()
        .prefix("tilsynsklar-pg-")
        .tempdir_in("/tmp")
        .map_err(|e| e.to_string())?
        .keep();
    if is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))
            .map_err(|e| e.to_string())?;
    }
    let data = dir.join("data");
    let mut initdb = as_server_user(&bin.join("initdb"));
    initdb.arg("-D").arg(&data).args([
        "-A",
        "trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    ]);
    run(initdb, "initdb")?;
    let stdin = start_watched(
        &bin,
        &data,
        &dir,
        &format!(
            "-k {} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.display()
        ),
    )?;
    let cluster = Cluster {
        dir,
        next: AtomicUsize::new(0),
        started_in: t.elapsed(),
        _watcher: Mutex::new(stdin),
    };
    eprintln!(
        "test PostgreSQL cluster started in {} ms",
        cluster.started_in.as_millis()
    );
    Ok(cluster)
}

use std::os::unix::process::CommandExt;

/// The test binary's cluster, started on first use; `None` (with the reason printed)
/// where no server can be started. With `TILSYNSKLAR_REQUIRE_TOOLS=1` a skip fails.
pub(crate) fn cluster() -> Option<&'static Cluster> {
    match CLUSTER.get_or_init(start) {
        Ok(c) => Some(c),
        Err(why) => {
            if std::env::var("TILSYNSKLAR_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("PostgreSQL required (TILSYNSKLAR_REQUIRE_TOOLS=1): {why}");
            }
            let _ = writeln!(std::io::stderr(), "skipped: no PostgreSQL: {why}");
            None
        }
    }
}

impl Cluster {
    /// The URL of a new, empty database of its own.
    pub(crate) fn fresh_database(&self) -> String {
        let name = format!("t{}", self.next.fetch_add(1, Ordering::SeqCst));
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("the test cluster answers");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("a test database");
        self.url(&name)
    }

    /// The URL of database `name` on this cluster, through its socket.
    pub(crate) fn url(&self, name: &str) -> String {
        format!("postgres://postgres@/{name}?host={}", self.dir.display())
    }
}

// ---- roles and TLS (the pgroles tests) ----

/// `url` (a database of a test cluster, as `fresh_database` gives it) for logging in as
/// `role` instead of the superuser (the test clusters trust every local login).
pub(crate) fn as_role(url: &str, role: &str) -> String {
    url.replacen("postgres://postgres@", &format!("postgres://{role}@"), 1)
}

/// `psql`, where it is installed (beside the server programs, or on the `PATH`); `None`
/// with the reason printed (a failure with `TILSYNSKLAR_REQUIRE_TOOLS=1`).
pub(crate) fn psql() -> Option<PathBuf> {
    let found = bindir()
        .map(|d| d.join("psql"))
        .filter(|p| p.is_file())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join("psql"))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        if std::env::var("TILSYNSKLAR_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("psql required (TILSYNSKLAR_REQUIRE_TOOLS=1): not found");
        }
        let _ = writeln!(std::io::stderr(), "skipped: no psql");
    }
    found
}

/// Runs one SQL text through `psql` against `url` (stopping at the first error): what it
/// printed, or the server's error.
pub(crate) fn run_psql(psql: &Path, url: &str, sql: &str) -> Result<String, String> {
    let out = Command::new(psql)
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// A cluster of its own with TLS on, listening on 127.0.0.1 (a free port) with the
/// given certificate and key (PEM); stopped and removed when the test binary ends.
pub(crate) struct TlsCluster {
    pub(crate) port: u16,
    _watcher: Mutex<ChildStdin>,
}

/// Starts a `TlsCluster`; an error says why it could not.
pub(crate) fn tls_cluster(cert_pem: &str, key_pem: &str) -> Result<TlsCluster, String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let bin = bindir().ok_or("no PostgreSQL server programs (initdb) found")?;
    let dir = tempfile::Builder::new()
        .prefix("tilsynsklar-pgtls-")
        .tempdir_in("/tmp")
        .map_err(|e| e.to_string())?
        .keep();
    if is_root() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))
            .map_err(|e| e.to_string())?;
    }
    let data = dir.join("data");
    let mut initdb = as_server_user(&bin.join("initdb"));
    initdb.arg("-D").arg(&data).args([
        "-A",
        "trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    ]);
    run(initdb, "initdb")?;
    // the server reads its key only when it owns it and nobody else may read it
    let owner = std::fs::metadata(&data).map_err(|e| e.to_string())?;
    for (name, text) in [("server.crt", cert_pem), ("server.key", key_pem)] {
        let file = data.join(name);
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
        std::os::unix::fs::chown(&file, Some(owner.uid()), Some(owner.gid()))
            .map_err(|e| e.to_string())?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let stdin = start_watched(
        &bin,
        &data,
        &dir,
        &format!(
            "-k {} -p {port} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off",
            dir.display()
        ),
    )?;
    Ok(TlsCluster {
        port,
        _watcher: Mutex::new(stdin),
    })
}

/// Starts the server on `data` with these server options, and a watcher process that stops
/// it and removes `dir` when the returned pipe closes (the test binary's end).
fn start_watched(
    bin: &std::path::Path,
    data: &std::path::Path,
    dir: &std::path::Path,
    options: &str,
) -> Result<std::process::ChildStdin, String> {
    let mut pg_ctl = as_server_user(&bin.join("pg_ctl"));
    pg_ctl
        .arg("-D")
        .arg(data)
        .arg("-l")
        .arg(dir.join("log"))
        .arg("-o")
        .arg(options)
        .args(["-w", "start"]);
    run(pg_ctl, "pg_ctl start")?;
    let stop = format!(
        "cat >/dev/null; {} {} -D '{}' -m immediate stop >/dev/null 2>&1; rm -rf '{}'",
        if is_root() {
            "runuser -u postgres --"
        } else {
            ""
        },
        bin.join("pg_ctl").display(),
        data.display(),
        dir.display()
    );
    let watcher = Command::new("sh")
        .args(["-c", &stop])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("the watcher: {e}"))?;
    Ok(watcher.stdin.ok_or("the watcher has no stdin")?)
}
