//! The database's settings on the server: `store::backend::Settings` for `PgStore` (gap
//! rules, the personal-data policy, `--strict`), logged as SQLite's `store/actions.rs` logs them.

use super::PgStore;
use super::audit::append;
use crate::assessment::{GapRules, PersonalDataPolicy};
use crate::error::{Error, Result};
use crate::integrity::AuditFields;
use crate::store::Stamp;
use crate::store::backend::Settings;

const POLICY_KEY: &str = "personal_data";

/// Appends a settings row to the chain (`subject` the key).
fn log(
    tx: &mut postgres::Transaction<'_>,
    stamp: &Stamp,
    action: &str,
    key: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), postgres::Error> {
    let at = stamp.at();
    append(
        tx,
        AuditFields {
            id: 0,
            at: &at,
            by: &stamp.by,
            action,
            facility_id: None,
            assessment_id: None,
            subject: Some(key),
            old_value: old,
            new_value: new,
            reason: None,
        },
    )
}

impl PgStore {
    /// Writes one setting, with its old and new value in the audit log.
    fn put_setting(&self, stamp: &Stamp, key: &str, value: &str) -> Result<()> {
        let mut client = self.client.borrow_mut();
        let err = |e: postgres::Error| super::server_error(&self.server, &e);
        let mut tx = client.transaction().map_err(err)?;
        let old: Option<String> = tx
            .query_opt("SELECT value FROM settings WHERE key = $1", &[&key])
            .map_err(err)?
            .map(|r| r.get(0));
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )
        .map_err(err)?;
        log(
            &mut tx,
            stamp,
            "settings.set",
            key,
            old.as_deref(),
            Some(value),
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }
}

impl Settings for PgStore {
    fn gap_rules(&self) -> Result<GapRules> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT substr(key, 5), value FROM settings WHERE key LIKE 'gap.%'",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let mut rules = GapRules::default();
        for r in rows {
            rules
                .set(r.get::<_, &str>(0), r.get::<_, &str>(1))
                .map_err(Error::BadRule)?;
        }
        Ok(rules)
    }

    fn set_gap_rule(&mut self, name: &str, value: &str, stamp: &Stamp) -> Result<GapRules> {
        let mut rules = self.gap_rules()?;
        rules.set(name, value).map_err(Error::BadRule)?;
        self.put_setting(stamp, &format!("gap.{name}"), value.trim())?;
        Ok(rules)
    }

    fn reset_gap_rules(&mut self, stamp: &Stamp) -> Result<()> {
        let mut client = self.client.borrow_mut();
        let err = |e: postgres::Error| super::server_error(&self.server, &e);
        let mut tx = client.transaction().map_err(err)?;
        let n = tx
            .execute("DELETE FROM settings WHERE key LIKE 'gap.%'", &[])
            .map_err(err)?;
        if n > 0 {
            log(&mut tx, stamp, "settings.reset", "gap", None, None).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn personal_data_policy(&self) -> Result<PersonalDataPolicy> {
        let row = self
            .client
            .borrow_mut()
            .query_opt("SELECT value FROM settings WHERE key = $1", &[&POLICY_KEY])
            .map_err(|e| self.err(e))?;
        Ok(row
            .and_then(|r| PersonalDataPolicy::parse(r.get(0)))
            .unwrap_or_default())
    }

    fn set_personal_data_policy(
        &mut self,
        policy: PersonalDataPolicy,
        stamp: &Stamp,
    ) -> Result<()> {
        self.put_setting(stamp, POLICY_KEY, policy.as_str())
    }

    fn write_policy(&self) -> Result<PersonalDataPolicy> {
        if self.strict {
            return Ok(PersonalDataPolicy::Strict);
        }
        self.personal_data_policy()
    }

    fn set_strict(&mut self) {
        self.strict = true;
    }

    fn strict(&self) -> bool {
        self.strict
    }
}
