//! A bundle's free texts that are not a score's (facility fields, improvement actions,
//! signers, reasons, user names) by the rule every write of them keeps
//! (`assessment::check_free_text`), so that a strict database takes no personal data from
//! a bundle and no text the database would refuse when typed. Each error names the file
//! and the JSON path.

use super::{BundleAssessment, BundleAudit, BundleFacility};
use crate::assessment::{FreeField, PersonalDataPolicy, check_free_text};
use crate::error::{Error, Result};
use crate::i18n::Lang;

/// One text at a path.
fn check(
    file: &str,
    path: &dyn Fn() -> String,
    field: FreeField,
    text: &str,
    policy: PersonalDataPolicy,
) -> Result<()> {
    check_free_text(field, text, policy)
        .map_err(|problem| Error::definition(file, path(), problem.message(Lang::En)))
}

/// The facilities' fields.
pub fn check_facility_texts(
    file: &str,
    facilities: &[BundleFacility],
    policy: PersonalDataPolicy,
) -> Result<()> {
    for (i, f) in facilities.iter().enumerate() {
        for (field, text) in [
            (FreeField::FacilityName, &f.name),
            (FreeField::Organisation, &f.organisation),
            (FreeField::Location, &f.location),
            (FreeField::FacilityType, &f.facility_type),
            (FreeField::TargetGroup, &f.target_group),
        ] {
            check(
                file,
                &|| format!("facilities[{i}].{}", field.key()),
                field,
                text,
                policy,
            )?;
        }
    }
    Ok(())
}

/// An assessment's signer and author, its scores' authors, and its actions' texts; `p`
/// is the assessment's path ("assessments[3]").
pub fn check_assessment_texts(
    file: &str,
    p: &str,
    a: &BundleAssessment<'_>,
    policy: PersonalDataPolicy,
) -> Result<()> {
    if let Some(by) = &a.finalised_by {
        check(
            file,
            &|| format!("{p}.finalised_by"),
            FreeField::Signer,
            by,
            policy,
        )?;
    }
    let user = FreeField::UserName;
    check(
        file,
        &|| format!("{p}.created_by"),
        user,
        &a.created_by,
        policy,
    )?;
    for (k, s) in a.scores.iter().enumerate() {
        check(file, &|| format!("{p}.scores[{k}].by"), user, &s.by, policy)?;
    }
    for (k, x) in a.actions.iter().enumerate() {
        let texts = [
            (FreeField::ActionText, "text", Some(&x.text)),
            (FreeField::ActionOwner, "owner", Some(&x.owner)),
            (FreeField::DropReason, "drop_reason", x.drop_reason.as_ref()),
            (user, "created_by", Some(&x.created_by)),
        ];
        for (field, key, text) in texts {
            if let Some(text) = text {
                let path = || format!("{p}.actions[{k}].{key}");
                check(file, &path, field, text, policy)?;
            }
        }
    }
    Ok(())
}

/// The audit rows' user names and reasons (of a reopening, or of dropping an action).
pub fn check_audit_texts(
    file: &str,
    first: usize,
    rows: &[BundleAudit],
    policy: PersonalDataPolicy,
) -> Result<()> {
    for (i, r) in rows.iter().enumerate() {
        // the rows come in chunks: `first` is the chunk's place in the file's audit_log
        let i = first + i;
        let user = FreeField::UserName;
        check(file, &|| format!("audit_log[{i}].by"), user, &r.by, policy)?;
        if let Some(reason) = &r.reason {
            let field = if r.action.starts_with("action.") {
                FreeField::DropReason
            } else {
                FreeField::ReopenReason
            };
            check(
                file,
                &|| format!("audit_log[{i}].reason"),
                field,
                reason,
                policy,
            )?;
        }
    }
    Ok(())
}
