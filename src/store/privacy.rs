//! The personal-data policy on the free texts that are not a score's: the check before
//! each write (facilities, actions, reopen, finalise), and the rows the `privacy` scan
//! reads (every stored free text but the scores', which stream with their assessments).

use super::{ActionChanges, FacilityChanges, NewFacility, Store};
use crate::assessment::{FreeField, NewAction, check_free_texts};
use crate::error::Result;
use rusqlite::params;

/// One stored free text: where it is, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredText {
    pub table: &'static str,
    /// The row's number (for a user name: its first row in the audit log).
    pub row: i64,
    pub field: &'static str,
    pub text: String,
}

/// Which rows the scan reads: those of these assessments and facilities, or all.
#[derive(Debug, Clone, Default)]
pub struct TextScope {
    pub all: bool,
    pub assessments: Vec<i64>,
    pub facilities: Vec<i64>,
}

/// The tables and columns of the free texts, each with the rows of a scope it reads
/// (`?1` all, `?2` the assessments, `?3` the facilities, JSON arrays).
const QUERIES: [(&str, &[&str], &str); 4] = [
    (
        "facilities",
        &[
            "name",
            "organisation",
            "location",
            "facility_type",
            "target_group",
        ],
        "?1 OR id IN (SELECT value FROM json_each(?3))",
    ),
    (
        "improvement_actions",
        &["text", "owner", "drop_reason", "created_by"],
        "?1 OR assessment_id IN (SELECT value FROM json_each(?2))",
    ),
    (
        "assessments",
        &["finalised_by", "created_by"],
        "?1 OR id IN (SELECT value FROM json_each(?2))",
    ),
    (
        "audit_log",
        &["reason"],
        "?1 OR assessment_id IN (SELECT value FROM json_each(?2)) OR facility_id IN (SELECT value FROM json_each(?3))",
    ),
];

impl Store {
    /// Checks free texts about to be written against the length limit and the policy in
    /// force (`write_policy`); the first problem refuses the write.
    pub(super) fn check_texts<'a>(
        &self,
        texts: impl IntoIterator<Item = (FreeField, &'a str)>,
    ) -> Result<()> {
        let policy = self.write_policy()?;
        Ok(check_free_texts(texts, policy)?)
    }

    /// The texts of a facility to register.
    pub(super) fn check_new_facility(&self, new: &NewFacility) -> Result<()> {
        self.check_texts([
            (FreeField::FacilityName, new.name.as_str()),
            (FreeField::Organisation, &new.organisation),
            (FreeField::Location, &new.location),
            (FreeField::FacilityType, &new.facility_type),
            (FreeField::TargetGroup, &new.target_group),
        ])
    }

    /// The texts a facility's changes bring.
    pub(super) fn check_facility_changes(&self, c: &FacilityChanges) -> Result<()> {
        let texts = [
            (FreeField::FacilityName, &c.name),
            (FreeField::Organisation, &c.organisation),
            (FreeField::Location, &c.location),
            (FreeField::FacilityType, &c.facility_type),
            (FreeField::TargetGroup, &c.target_group),
        ];
        self.check_texts(
            texts
                .into_iter()
                .filter_map(|(f, t)| t.as_deref().map(|t| (f, t))),
        )
    }

    /// The texts of an action to add.
    pub(super) fn check_new_action(&self, new: &NewAction) -> Result<()> {
        self.check_texts([
            (FreeField::ActionText, new.text.as_str()),
            (FreeField::ActionOwner, &new.owner),
        ])
    }

    /// The texts an action's changes bring.
    pub(super) fn check_action_changes(&self, c: &ActionChanges) -> Result<()> {
        let texts = [
            (FreeField::ActionText, &c.text),
            (FreeField::ActionOwner, &c.owner),
            (FreeField::DropReason, &c.drop_reason),
        ];
        self.check_texts(
            texts
                .into_iter()
                .filter_map(|(f, t)| t.as_deref().map(|t| (f, t))),
        )
    }

    /// Every stored free text in scope but the scores' (facility fields, actions,
    /// signers, reopen and drop reasons, the user names of the audit log), table by
    /// table in row order; empty texts left out.
    pub fn for_each_free_text(
        &self,
        scope: &TextScope,
        mut f: impl FnMut(StoredText) -> Result<()>,
    ) -> Result<()> {
        let ids = |v: &[i64]| serde_json::to_string(v).expect("numbers serialize");
        let (assessments, facilities) = (ids(&scope.assessments), ids(&scope.facilities));
        let args = params![scope.all, assessments, facilities];
        for (table, columns, scope_sql) in QUERIES {
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT id, {} FROM {table} WHERE {scope_sql} ORDER BY id",
                    columns.join(", ")
                ))
                .map_err(|e| self.err(e))?;
            // a query binds the parameters up to the highest it names
            let used = &args[..stmt.parameter_count()];
            let mut rows = stmt.query(used).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let row: i64 = r.get(0).map_err(|e| self.err(e))?;
                for (i, field) in columns.iter().enumerate() {
                    let text: Option<String> = r.get(i + 1).map_err(|e| self.err(e))?;
                    if let Some(text) = text.filter(|t| !t.is_empty()) {
                        f(StoredText {
                            table,
                            row,
                            field,
                            text,
                        })?;
                    }
                }
            }
        }
        // each user name once, at its first row
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT min(id), by FROM audit_log WHERE {} GROUP BY by ORDER BY min(id)",
                QUERIES[3].2
            ))
            .map_err(|e| self.err(e))?;
        let users = stmt
            .query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        for (row, text) in users {
            f(StoredText {
                table: "audit_log",
                row,
                field: "by",
                text,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{PersonalDataPolicy, TextProblem};
    use crate::error::Error;
    use crate::store::Stamp;

    fn stamp(by: &str) -> Stamp {
        Stamp {
            by: by.into(),
            at: chrono::Utc::now(),
        }
    }

    fn texts(store: &Store, scope: &TextScope) -> Vec<(String, i64, String, String)> {
        let mut out = Vec::new();
        store
            .for_each_free_text(scope, |t| {
                out.push((t.table.to_string(), t.row, t.field.to_string(), t.text));
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn facility_texts_are_checked_under_the_policy_in_force_and_a_refusal_changes_nothing() {
        let mut store = Store::open_in_memory(&stamp("t")).unwrap();
        let new = NewFacility {
            name: "Solhøj".into(),
            organisation: "mette@solhoj.dk".into(),
            ..NewFacility::default()
        };
        store
            .set_personal_data_policy(PersonalDataPolicy::Strict, &stamp("t"))
            .unwrap();
        let e = store.add_facility(&new, &stamp("t")).unwrap_err();
        assert!(matches!(
            e,
            Error::TextRefused(TextProblem::PersonalData {
                field: FreeField::Organisation,
                ..
            })
        ));
        assert!(store.facilities(true).unwrap().is_empty());
        let ok = NewFacility {
            organisation: "Region Midt".into(),
            ..new
        };
        store.add_facility(&ok, &stamp("t")).unwrap();
        let change = FacilityChanges {
            target_group: Some("ring 23 45 67 89".into()),
            ..FacilityChanges::default()
        };
        assert!(store.edit_facility("Solhøj", &change, &stamp("t")).is_err());
        assert_eq!(store.find_facility("Solhøj").unwrap().target_group, "");
    }

    #[test]
    fn the_scan_reads_facilities_and_audit_users_within_its_scope() {
        let mut store = Store::open_in_memory(&stamp("t")).unwrap();
        let new = NewFacility {
            name: "Solhøj".into(),
            location: "Aarhus".into(),
            ..NewFacility::default()
        };
        let f = store.add_facility(&new, &stamp("010190-1234")).unwrap();
        let all = texts(
            &store,
            &TextScope {
                all: true,
                ..TextScope::default()
            },
        );
        let facility = |field: &str, text: &str| {
            (
                "facilities".to_string(),
                f.id,
                field.to_string(),
                text.to_string(),
            )
        };
        assert!(all.contains(&facility("name", "Solhøj")), "{all:?}");
        assert!(all.contains(&facility("location", "Aarhus")), "{all:?}");
        assert!(
            all.iter()
                .any(|t| t.0 == "audit_log" && t.2 == "by" && t.3 == "010190-1234"),
            "{all:?}"
        );
        // each user name once, however many rows it signs
        let second = NewFacility {
            name: "Bakkehuset".into(),
            ..NewFacility::default()
        };
        store.add_facility(&second, &stamp("010190-1234")).unwrap();
        let all = texts(
            &store,
            &TextScope {
                all: true,
                ..TextScope::default()
            },
        );
        assert_eq!(all.iter().filter(|t| t.2 == "by").count(), 1, "{all:?}");
        // another facility's scope holds none of it
        let other = texts(
            &store,
            &TextScope {
                all: false,
                assessments: vec![],
                facilities: vec![f.id + 100],
            },
        );
        assert!(other.is_empty(), "{other:?}");
    }
}
