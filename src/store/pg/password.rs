//! Where the password comes from (the URL, `PGPASSWORD`, `~/.pgpass`), and the server's
//! address with it taken out: the only form of the address a message or a log may carry.
//! The `postgres` crate reads the URL only (no libpq environment, no password file), so
//! the two fallbacks libpq users expect are read here.

use postgres::config::Host;
use std::path::PathBuf;

/// The connection settings of a `postgres://` URL (or a `key=value` string), with the
/// password from `PGPASSWORD` or the password file where the URL gives none. An error
/// says what is wrong without repeating the URL.
pub(super) fn config(url: &str) -> Result<postgres::Config, String> {
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| scrub(&e.to_string(), url))?;
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .ok()
            .or_else(|| whoami::username().ok())
            .unwrap_or_else(|| "postgres".to_string());
        config.user(&user);
    }
    if config.get_password().is_none() {
        if let Some(p) = std::env::var_os("PGPASSWORD") {
            config.password(p.as_encoded_bytes());
        } else if let Some(p) = pgpass_path().and_then(|file| from_pgpass(&file, &config)) {
            config.password(p);
        }
    }
    Ok(config)
}

/// The password file: `PGPASSFILE`, or `~/.pgpass`.
fn pgpass_path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))
}

/// The first line of the password file that fits (`host:port:database:user:password`,
/// `*` for any, `\:` and `\\` escaped), as libpq reads it.
fn from_pgpass(file: &std::path::Path, config: &postgres::Config) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq names a socket connection "localhost" in the password file
        Some(Host::Unix(_)) | None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    let wanted = [host, port, database, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(fields)
        .find(|f| f.len() == 5 && f[..4].iter().zip(&wanted).all(|(a, b)| a == "*" || a == b))
        .map(|f| f[4].clone())
}

/// The colon-separated fields of a password file's line, unescaped.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("one field").push(n);
                }
            }
            ':' => out.push(String::new()),
            c => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

/// The server's address without its password: `postgres://user:secret@host/db` becomes
/// `postgres://user@host/db`; a `password=` setting (in the query or a `key=value`
/// string) is left out.
pub fn redacted(url: &str) -> String {
    let without_query_password = |s: &str, sep: &str| -> String {
        s.split(['&', ' '])
            .filter(|p| !p.trim_start().starts_with("password="))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return without_query_password(url, " ");
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query = without_query_password(query, "&");
            if query.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{query}")
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// A message with any password of the URL taken out (a parse error may quote it).
fn scrub(message: &str, url: &str) -> String {
    let mut out = message.to_string();
    for secret in secrets(url) {
        out = out.replace(&secret, "***");
    }
    out
}

/// The passwords a connection string spells out.
fn secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if let Some((_, p)) = authority
            .rsplit_once('@')
            .and_then(|(userinfo, _)| userinfo.split_once(':'))
        {
            found.push(p.to_string());
        }
    }
    for part in url.split(['&', ' ', '?']) {
        if let Some(p) = part.trim().strip_prefix("password=") {
            found.push(p.to_string());
        }
    }
    found.retain(|s| !s.is_empty());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_never_carries_the_password() {
        for (url, shown) in [
            (
                "postgres://mette:s3cret@db.region.dk/tilsyn",
                "postgres://mette@db.region.dk/tilsyn",
            ),
            (
                "postgres://mette@db.region.dk:5433/tilsyn?sslmode=require",
                "postgres://mette@db.region.dk:5433/tilsyn?sslmode=require",
            ),
            (
                "postgres://db/tilsyn?password=s3cret&application_name=t",
                "postgres://db/tilsyn?application_name=t",
            ),
            (
                "postgres://db/tilsyn?sslmode=require&password=s3cret&application_name=t",
                "postgres://db/tilsyn?sslmode=require&application_name=t",
            ),
            (
                "host=db user=mette password=s3cret dbname=tilsyn",
                "host=db user=mette dbname=tilsyn",
            ),
        ] {
            assert_eq!(redacted(url), shown);
            assert!(!redacted(url).contains("s3cret"));
        }
    }

    #[test]
    fn a_password_file_line_matches_field_by_field() {
        assert_eq!(
            fields(r"db:5432:*:mette:a\:b\\c"),
            ["db", "5432", "*", "mette", r"a:b\c"]
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:wrong\ndb:*:tilsyn:mette:right\n",
        )
        .unwrap();
        let config: postgres::Config = "postgres://mette@db/tilsyn".parse().unwrap();
        assert_eq!(from_pgpass(&file, &config).as_deref(), Some("right"));
        let config: postgres::Config = "postgres://mette@db/andet".parse().unwrap();
        assert_eq!(from_pgpass(&file, &config), None);
    }
}
