//! Looking after a database on the server: `store::backend::Maintenance` for `PgStore`.
//! `path` is the server's address without its password; `backup` refuses and names the
//! server's own tool (`pg_dump`: a consistent copy of everything, roles and all, that
//! `pg_restore` puts back), since a file copy is not how a server's database is kept;
//! `doctor` runs the checks of SQLite's `store/maintenance.rs` that apply on a server,
//! with the same rows and wording (no `integrity_check`: the server looks after its pages).

use super::PgStore;
use super::models::rows;
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::backend::{AuditChain, Maintenance};
use crate::store::{Check, migrations};
use std::path::Path;

/// A name from the catalogue as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl PgStore {
    /// The rows whose foreign key points at nothing: the server keeps its keys, unless a
    /// superuser set them aside (`session_replication_role = replica`, disabled triggers).
    fn dangling_keys(&self) -> Result<i64> {
        let keys = rows(
            self,
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,
                    (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
                    (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
             WHERE c.contype = 'f' AND t.relnamespace = to_regnamespace(current_schema())
             ORDER BY 1, 2",
            &[],
        )?;
        let mut total = 0;
        for k in &keys {
            let (child, parent): (&str, &str) = (k.get(0), k.get(1));
            let (from, to): (Vec<String>, Vec<String>) = (k.get(2), k.get(3));
            let present: Vec<String> = from
                .iter()
                .map(|c| format!("c.{} IS NOT NULL", ident(c)))
                .collect();
            let matches: Vec<String> = from
                .iter()
                .zip(&to)
                .map(|(c, p)| format!("p.{} = c.{}", ident(p), ident(c)))
                .collect();
            let sql = format!(
                "SELECT count(*) FROM {child} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {})",
                present.join(" AND "),
                matches.join(" AND "),
            );
            total += rows(self, &sql, &[])?
                .first()
                .map_or(0, |r| r.get::<_, i64>(0));
        }
        Ok(total)
    }

    /// The lock triggers' check: each of SQLite's six names present and enabled.
    fn trigger_check(&self) -> Result<Check> {
        let found = rows(
            self,
            "SELECT t.tgname::text, t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())",
            &[],
        )?;
        let state = |name: &str| -> Option<String> {
            found
                .iter()
                .find(|r| r.get::<_, &str>(0) == name)
                .map(|r| r.get(1))
        };
        let all = migrations::LOCK_TRIGGERS.len();
        let mut missing = Vec::new();
        let mut disabled = Vec::new();
        for t in migrations::LOCK_TRIGGERS.iter().copied() {
            match state(t).as_deref() {
                None => missing.push(t),
                Some("D") => disabled.push(t),
                Some(_) => {}
            }
        }
        let mut detail = format!("{} of {all} present", all - missing.len());
        if !missing.is_empty() {
            detail.push_str(&format!("; missing: {}", missing.join(", ")));
        }
        if !disabled.is_empty() {
            detail.push_str(&format!("; disabled: {}", disabled.join(", ")));
        }
        Ok(Check {
            name: "lock_triggers",
            ok: missing.is_empty() && disabled.is_empty(),
            detail,
        })
    }

    /// Every stored model still has the content hash it is kept under.
    fn model_hash_check(&self) -> Result<Check> {
        let models = rows(
            self,
            "SELECT hash, id, json FROM models ORDER BY id COLLATE \"C\"",
            &[],
        )?;
        let bad: Vec<String> = models
            .iter()
            .filter(|r| {
                let hash: &str = r.get(0);
                QualityModel::parse("models", r.get(2))
                    .map(|m| m.content_hash())
                    .ok()
                    .as_deref()
                    != Some(hash)
            })
            .map(|r| {
                let hash: &str = r.get(0);
                format!(
                    "{} {}",
                    r.get::<_, &str>(1),
                    hash.chars().take(12).collect::<String>()
                )
            })
            .collect();
        Ok(Check {
            name: "model_hashes",
            ok: bad.is_empty(),
            detail: if bad.is_empty() {
                format!("{} model version(s) match their hashes", models.len())
            } else {
                format!("changed: {}", bad.join(", "))
            },
        })
    }
}

impl Maintenance for PgStore {
    fn path(&self) -> &Path {
        &self.path
    }

    fn backup(&self, _dest: &Path) -> Result<()> {
        Err(Error::BackupOnServer {
            server: self.server.clone(),
        })
    }

    fn doctor(&self) -> Result<Vec<Check>> {
        let mut checks = Vec::new();
        let fk = self.dangling_keys()?;
        checks.push(Check {
            name: "foreign_keys",
            ok: fk == 0,
            detail: format!("{fk} row(s) point at nothing"),
        });
        let version = self.schema_version()?;
        checks.push(Check {
            name: "schema",
            ok: version == migrations::SCHEMA_VERSION,
            detail: format!("version {version} of {}", migrations::SCHEMA_VERSION),
        });
        checks.push(self.trigger_check()?);
        checks.push(self.model_hash_check()?);
        // the audit chain and every finalised assessment still hold what was written and signed
        let v = self.verify(None)?;
        let ((broken, changed), actions, _) = v.named_all();
        checks.push(Check {
            name: "audit_chain",
            ok: broken.is_empty(),
            detail: if broken.is_empty() {
                format!("{} row(s) in an unbroken chain", v.audit_rows)
            } else {
                format!("rows not as written: {}", broken.join(", "))
            },
        });
        let mut detail = if changed.is_empty() {
            format!(
                "{} finalised assessment(s) match what was signed",
                v.signoffs
            )
        } else {
            format!("changed after sign-off: assessment {}", changed.join(", "))
        };
        if v.unsigned > 0 {
            detail.push_str(&format!(
                "; {} finalised before sign-off hashes were recorded",
                v.unsigned
            ));
        }
        checks.push(Check {
            name: "signoffs",
            ok: changed.is_empty(),
            detail,
        });
        checks.push(Check {
            name: "actions",
            ok: actions.is_empty(),
            detail: if actions.is_empty() {
                "every logged improvement action is as logged".to_string()
            } else {
                format!(
                    "changed or deleted behind the program's back: action {}",
                    actions.join(", ")
                )
            },
        });
        // the server refuses a text that is not valid in its encoding
        let encoding: String = rows(self, "SELECT current_setting('server_encoding')", &[])?
            .first()
            .map(|r| r.get(0))
            .unwrap_or_default();
        checks.push(Check {
            name: "texts",
            ok: encoding == "UTF8",
            detail: if encoding == "UTF8" {
                "every stored text is valid UTF-8".to_string()
            } else {
                format!("the server stores texts as {encoding}, not UTF-8")
            },
        });
        Ok(checks)
    }
}
