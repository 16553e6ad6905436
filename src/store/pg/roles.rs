//! Roles the server enforces (`tilsynsklar region …`): three group roles, who leads which
//! facility, grants per table, and row-level security on the assessments' tables, so that
//! a facility leader connecting with psql cannot write another facility either.
//!
//! - `tilsynsklar_leader`: reads everything; writes assessments, scores, improvement
//!   actions and their indicators of the facilities `facility_leaders` says they lead;
//!   appends to the audit log (rows of their own facilities only).
//! - `tilsynsklar_consultant`: reads everything; writes facilities, models and mappings,
//!   strategies, settings and `facility_leaders`; appends to the audit log.
//! - `tilsynsklar_management`: reads everything, writes nothing.
//!
//! Row-level security (`ENABLE` + `FORCE`) on `assessments`, `scores`,
//! `improvement_actions`, `action_indicators`: everyone reads; a leader's new or changed
//! row must be of a facility they lead, and only such rows are theirs to change or delete
//! (the others are not even visible to their `UPDATE`/`DELETE`); the schema's owner keeps
//! a policy of its own. A guard trigger (`tilsynsklar_leader_guard`) says no out loud
//! where a leader's insert or update would otherwise fail the policy, naming the
//! facility, and the audit log's insert trigger (`tilsynsklar_audit_guard`) keeps the
//! chain whole and `by` honest for every member of the groups (`audit.rs`). Nobody but the
//! owner may update, delete or truncate audit rows (no grant). Everything is idempotent.

use super::PgStore;
use super::roles_sql::{GROUPS, ident, init_sql};
use crate::error::{Error, Result};
use crate::store::backend::Facilities;

/// The group roles, as `region show` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionGroup {
    Leader,
    Consultant,
    Management,
}

impl RegionGroup {
    /// The group role's name on the server.
    pub fn role(self) -> &'static str {
        match self {
            RegionGroup::Leader => "tilsynsklar_leader",
            RegionGroup::Consultant => "tilsynsklar_consultant",
            RegionGroup::Management => "tilsynsklar_management",
        }
    }

    fn of(role: &str) -> Option<RegionGroup> {
        [
            RegionGroup::Leader,
            RegionGroup::Consultant,
            RegionGroup::Management,
        ]
        .into_iter()
        .find(|g| g.role() == role)
    }
}

/// One login role's place in the region: its group and, for a leader, what it leads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegionMember {
    pub name: String,
    pub group: RegionGroup,
    /// The facilities led (number, name); a leader's only.
    pub facilities: Vec<(i64, String)>,
    /// Whether the role may log in at all.
    pub can_login: bool,
}

/// A person's role name as `region grant` takes it: not empty, at most PostgreSQL's 63
/// bytes, not one of the groups or the server's own (`pg_…`).
fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Empty("--leader/--consultant/--management"));
    }
    if name.len() > 63 || name.starts_with("pg_") || RegionGroup::of(name).is_some() {
        return Err(Error::BadRoleName(name.to_string()));
    }
    Ok(name)
}

impl PgStore {
    /// The server's address as messages show it (without the password).
    pub fn server_address(&self) -> &str {
        &self.server
    }

    /// `region init`: the groups, `facility_leaders`, the grants, the policies and the
    /// triggers, in one transaction; running it again changes nothing.
    pub fn region_init(&self) -> Result<()> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        tx.batch_execute("SELECT pg_advisory_xact_lock(7017)")
            .map_err(|e| self.err(e))?;
        tx.batch_execute(GROUPS).map_err(|e| self.err(e))?;
        let owner: String = tx
            .query_one(
                "SELECT tableowner::text FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'assessments'",
                &[],
            )
            .map_err(|e| self.err(e))?
            .get(0);
        tx.batch_execute(&init_sql(&owner))
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Whether `region init` has been run on this database.
    fn has_roles(&self) -> Result<bool> {
        Ok(self
            .client
            .borrow_mut()
            .query_one("SELECT to_regclass('facility_leaders') IS NOT NULL", &[])
            .map_err(|e| self.err(e))?
            .get(0))
    }

    fn require_roles(&self) -> Result<()> {
        if self.has_roles()? {
            Ok(())
        } else {
            Err(Error::RegionNotInitialised(self.server.clone()))
        }
    }

    /// `region grant`: makes `name` a member of `group` (and, for a leader, the leader of
    /// `facility`), creating the login role where the server has none, without a
    /// password (the DBA sets one with psql's `\password`, or the server authenticates
    /// it otherwise). Returns whether the role was created.
    pub fn region_grant(
        &self,
        group: RegionGroup,
        name: &str,
        facility: Option<&str>,
    ) -> Result<bool> {
        self.require_roles()?;
        let name = checked_name(name)?;
        let facility = match facility {
            Some(f) => Some(self.find_facility(f)?.id),
            None => None,
        };
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        let exists = tx
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])
            .map_err(|e| self.err(e))?
            .is_some();
        if !exists {
            tx.batch_execute(&format!("CREATE ROLE {} LOGIN", ident(name)))
                .map_err(|e| self.err(e))?;
        }
        tx.batch_execute(&format!("GRANT {} TO {}", group.role(), ident(name)))
            .map_err(|e| self.err(e))?;
        if let Some(f) = facility {
            tx.execute(
                "INSERT INTO facility_leaders (role_name, facility_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&name, &f],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(!exists)
    }

    /// `region revoke`: a leader's lead of one facility (the group too once they lead
    /// none), or the whole membership of `group`. The login role stays (the DBA's).
    pub fn region_revoke(
        &self,
        group: RegionGroup,
        name: &str,
        facility: Option<&str>,
    ) -> Result<()> {
        self.require_roles()?;
        let name = name.trim();
        let facility = match facility {
            Some(f) => Some(self.find_facility(f)?.id),
            None => None,
        };
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        if group == RegionGroup::Leader {
            match facility {
                Some(f) => tx.execute(
                    "DELETE FROM facility_leaders WHERE role_name = $1 AND facility_id = $2",
                    &[&name, &f],
                ),
                None => tx.execute(
                    "DELETE FROM facility_leaders WHERE role_name = $1",
                    &[&name],
                ),
            }
            .map_err(|e| self.err(e))?;
        }
        let leads_more = tx
            .query_opt(
                "SELECT 1 FROM facility_leaders WHERE role_name = $1 LIMIT 1",
                &[&name],
            )
            .map_err(|e| self.err(e))?
            .is_some();
        let member = tx
            .query_opt(
                "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1 AND g.rolname = $2",
                &[&name, &group.role()],
            )
            .map_err(|e| self.err(e))?
            .is_some();
        if member && !(group == RegionGroup::Leader && leads_more) {
            tx.batch_execute(&format!("REVOKE {} FROM {}", group.role(), ident(name)))
                .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// `region show`: every member of the groups, by group and name, with what each
    /// leader leads in this database.
    pub fn region_members(&self) -> Result<Vec<RegionMember>> {
        self.require_roles()?;
        let mut client = self.client.borrow_mut();
        let rows = client
            .query(
                "SELECT u.rolname::text, g.rolname::text, u.rolcanlogin,
                        coalesce((SELECT array_agg(l.facility_id ORDER BY l.facility_id) FROM facility_leaders l
                                  WHERE l.role_name = u.rolname), '{}'),
                        coalesce((SELECT array_agg(f.name ORDER BY l.facility_id) FROM facility_leaders l
                                  JOIN facilities f ON f.id = l.facility_id WHERE l.role_name = u.rolname), '{}')
                 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                 WHERE g.rolname IN ('tilsynsklar_leader', 'tilsynsklar_consultant', 'tilsynsklar_management')
                 ORDER BY g.rolname DESC, u.rolname",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for r in rows {
            let group: String = r.get(1);
            let Some(group) = RegionGroup::of(&group) else {
                continue;
            };
            let ids: Vec<i64> = r.get(3);
            let names: Vec<String> = r.get(4);
            out.push(RegionMember {
                name: r.get(0),
                group,
                facilities: if group == RegionGroup::Leader {
                    ids.into_iter().zip(names).collect()
                } else {
                    Vec::new()
                },
                can_login: r.get(2),
            });
        }
        Ok(out)
    }
}

/// What a refusal of the server (SQLSTATE 42501) was about, for the user's message.
pub(super) fn refusal(db: &postgres::error::DbError) -> crate::error::Refusal {
    use crate::error::Refusal;
    match db.constraint() {
        Some("tilsynsklar_leader") => {
            return Refusal::NotLeader {
                facility: db.detail().unwrap_or_default().to_string(),
            };
        }
        Some("tilsynsklar_audit_by") => {
            return Refusal::AuditBy {
                named: db.detail().unwrap_or_default().to_string(),
            };
        }
        Some("tilsynsklar_audit_chain") => return Refusal::AuditChain,
        _ => {}
    }
    let table = db
        .table()
        .map(str::to_string)
        .or_else(|| table_named(db.message()));
    Refusal::Table { table }
}

/// The table a server's message names (in whatever language the server speaks): the
/// first of this schema's tables quoted or standing alone in it.
fn table_named(message: &str) -> Option<String> {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| {
            super::schema::TABLES.contains(&format!("CREATE TABLE {w} ("))
                || *w == "facility_leaders"
        })
        .map(str::to_string)
}
