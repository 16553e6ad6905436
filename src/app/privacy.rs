//! The personal-data policy in a session: the user name it writes into the audit log, and
//! the scan of every stored free text for personal identifiers.

use super::Session;
use crate::assessment::{
    FreeField, IdentifierKind, PersonalDataPolicy, Status, check_free_text, identifier_kinds,
};
use crate::error::Result;
use crate::store::{Selection, TextScope};
use serde::Serialize;

/// Refuses a session whose user name (written into the audit log with every change) is
/// too long, or holds personal data under `policy`. Checked as the session starts, so
/// nothing is written under that name, whatever the command.
pub fn check_user_name(user: &str, policy: PersonalDataPolicy) -> Result<()> {
    Ok(check_free_text(FreeField::UserName, user, policy)?)
}

/// `check_user_name` under the policy in force in the session's database.
pub fn check_user(s: &Session) -> Result<()> {
    check_user_name(&s.user, s.store.write_policy()?)
}

/// A score whose texts hold identifiers.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreHit {
    /// Always "scores".
    pub table: &'static str,
    pub assessment: i64,
    pub facility: String,
    pub year: i32,
    pub status: Status,
    pub indicator: String,
    /// The texts that hold them: reasoning, sources.
    pub fields: Vec<&'static str>,
    pub kinds: Vec<IdentifierKind>,
}

/// Another stored text that holds identifiers.
#[derive(Debug, Clone, Serialize)]
pub struct TextHit {
    pub table: &'static str,
    pub row: i64,
    pub field: &'static str,
    pub kinds: Vec<IdentifierKind>,
}

/// What the scan found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scan {
    pub assessments_scanned: usize,
    pub scores: Vec<ScoreHit>,
    pub texts: Vec<TextHit>,
}

/// Scans every stored free text of a selection: the scores' texts of its assessments,
/// and the facilities, actions, signers, reasons and user names that belong to them
/// (all of them for `Selection::All`).
pub fn scan(s: &Session, sel: &Selection) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut scope = TextScope {
        all: *sel == Selection::All,
        ..TextScope::default()
    };
    if let Selection::Facility(name, _) = sel {
        scope.facilities.push(s.store.find_facility(name)?.id);
    }
    s.store.for_each_selected_texts(sel, &mut |a, scores| {
        scan.assessments_scanned += 1;
        scope.assessments.push(a.id);
        if !scope.facilities.contains(&a.facility_id) {
            scope.facilities.push(a.facility_id);
        }
        for score in scores {
            let texts = [
                ("reasoning", score.reasoning.as_str()),
                ("sources", score.sources.as_str()),
            ];
            let fields: Vec<&'static str> = texts
                .iter()
                .filter(|(_, t)| !identifier_kinds([*t]).is_empty())
                .map(|(f, _)| *f)
                .collect();
            if !fields.is_empty() {
                scan.scores.push(ScoreHit {
                    table: "scores",
                    assessment: a.id,
                    facility: a.facility.clone(),
                    year: a.year,
                    status: a.status,
                    indicator: score.indicator.clone(),
                    fields,
                    kinds: identifier_kinds(texts.map(|t| t.1)),
                });
            }
        }
        Ok(())
    })?;
    s.store.for_each_free_text(&scope, &mut |t| {
        let kinds = identifier_kinds([t.text.as_str()]);
        if !kinds.is_empty() {
            scan.texts.push(TextHit {
                table: t.table,
                row: t.row,
                field: t.field,
                kinds,
            });
        }
        Ok(())
    })?;
    Ok(scan)
}

/// The database's personal-data policy.
pub fn policy(s: &Session) -> Result<PersonalDataPolicy> {
    s.store.personal_data_policy()
}

/// Sets the database's personal-data policy.
pub fn set_policy(s: &mut Session, policy: PersonalDataPolicy) -> Result<()> {
    let stamp = s.stamp();
    s.store.set_personal_data_policy(policy, &stamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::store::{NewFacility, Stamp, Store};

    fn session(user: &str) -> Session {
        let stamp = Stamp {
            by: user.into(),
            at: chrono::Utc::now(),
        };
        Session::new(
            Store::open_in_memory(&stamp).unwrap(),
            Lang::En,
            user.into(),
        )
    }

    #[test]
    fn a_user_name_with_personal_data_is_refused_only_under_strict() {
        let mut s = session("mette@solhoj.dk");
        assert!(check_user(&s).is_ok());
        s.store.set_strict();
        let e = check_user(&s).unwrap_err();
        assert_eq!(
            e.localized(Lang::En),
            "the user name holds an e-mail address; personal data is refused in this database"
        );
        assert!(check_user_name("Mette Hansen", PersonalDataPolicy::Strict).is_ok());
        let long = "m".repeat(crate::assessment::MAX_TEXT + 1);
        assert!(check_user_name(&long, PersonalDataPolicy::Warn).is_err());
    }

    #[test]
    fn the_scan_names_the_table_row_and_field_of_each_text() {
        let s = &mut session("t");
        let stamp = s.stamp();
        let f = s
            .store
            .add_facility(
                &NewFacility {
                    name: "Solhøj".into(),
                    target_group: "kontakt ２３ ４５ ６７ ８９".into(),
                    ..NewFacility::default()
                },
                &stamp,
            )
            .unwrap();
        let found = scan(s, &Selection::All).unwrap();
        assert!(found.scores.is_empty());
        assert_eq!(found.texts.len(), 1, "{found:?}");
        let hit = &found.texts[0];
        assert_eq!(
            (hit.table, hit.row, hit.field),
            ("facilities", f.id, "target_group")
        );
        assert_eq!(hit.kinds, [IdentifierKind::Phone]);
        // the facility's own selection finds it too
        let own = scan(s, &Selection::Facility("Solhøj".into(), None)).unwrap();
        assert_eq!(own.texts.len(), 1);
    }
}
