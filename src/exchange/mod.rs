//! The exchange bundle: the one format that round-trips. A versioned JSON file that
//! carries facilities, assessments with every score and text, improvement actions, the
//! audit log, and any model that is not bundled with the program. Written as a stream
//! (one assessment at a time); read as a stream too, each part checked and merged as it
//! arrives, all or nothing (`store/import.rs`).

mod check;
mod free_texts;
mod proof;

pub use check::{
    ModelsByHash, check_assessment, check_audit, check_facilities, check_format, check_models,
};
pub use free_texts::{check_assessment_texts, check_audit_texts, check_facility_texts};
pub use proof::{AuditProof, check_signoff};

use crate::assessment::Status;
use crate::model::QualityModel;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The format tag of this version of the bundle.
pub const BUNDLE_FORMAT: &str = "tilsynsklar-bundle/1";

/// The longest text a bundle may carry in one field (characters): the one limit every
/// write of a text keeps.
pub use crate::assessment::MAX_TEXT;

/// A whole bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bundle<'a> {
    /// Always "tilsynsklar-bundle/1".
    pub format: String,
    /// When it was written (RFC 3339); the one field that differs between two exports of the same data.
    pub exported_at: String,
    pub exported_by: String,
    /// The program and version that wrote it.
    pub program: String,
    /// The model versions the assessments use; `model` is present where it is not bundled with the program.
    pub models: Vec<BundleModel>,
    pub facilities: Vec<BundleFacility>,
    #[serde(borrow)]
    pub assessments: Vec<BundleAssessment<'a>>,
    /// The audit log of the facilities and assessments in the bundle.
    pub audit_log: Vec<BundleAudit>,
}

/// A model version an assessment names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleModel {
    pub id: String,
    /// The content hash the assessments name.
    pub hash: String,
    /// Whether the program carries this exact text itself.
    pub bundled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<QualityModel>,
}

/// A facility; assessments name it by `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleFacility {
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub facility_type: String,
    pub target_group: String,
    pub tags: Vec<String>,
    pub created_at: String,
    #[serde(default)]
    pub archived_at: Option<String>,
}

/// One assessment with its scores and improvement actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleAssessment<'a> {
    /// The facility's name.
    pub facility: String,
    pub year: i32,
    pub model_id: String,
    pub model_hash: String,
    pub status: Status,
    pub created_by: String,
    pub created_at: String,
    #[serde(default)]
    pub finalised_by: Option<String>,
    #[serde(default)]
    pub finalised_at: Option<String>,
    #[serde(borrow)]
    pub scores: Vec<BundleScore<'a>>,
    #[serde(default)]
    pub actions: Vec<BundleAction>,
    /// A finalised assessment's sign-off hash, as the signing database recorded it; the
    /// import recomputes it from the fields above. Absent in bundles of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signoff_hash: Option<String>,
    /// The encoding of `signoff_hash` (1 or 2: see `integrity::SIGNOFF_VERSION`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signoff_version: Option<i64>,
}

/// One indicator's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleScore<'a> {
    #[serde(borrow)]
    pub indicator: Cow<'a, str>,
    /// 1–5; absent where not relevant.
    pub value: Option<i64>,
    pub not_relevant: bool,
    #[serde(borrow)]
    pub reasoning: Cow<'a, str>,
    #[serde(borrow)]
    pub sources: Cow<'a, str>,
    #[serde(borrow)]
    pub by: Cow<'a, str>,
    #[serde(borrow)]
    pub at: Cow<'a, str>,
    #[serde(default)]
    pub carried_over: bool,
}

/// One improvement action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleAction {
    pub text: String,
    pub indicators: Vec<String>,
    #[serde(default)]
    pub strategy_id: Option<String>,
    #[serde(default)]
    pub action_plan: Option<String>,
    pub owner: String,
    /// ISO date.
    #[serde(default)]
    pub due: Option<String>,
    /// planned, in_progress, done or dropped.
    pub status: String,
    #[serde(default)]
    pub drop_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One row of the audit log; it names its facility and assessment by name and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleAudit {
    pub at: String,
    pub by: String,
    pub action: String,
    #[serde(default)]
    pub facility: Option<String>,
    /// The assessment's year, where the row is about an assessment.
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub old_value: Option<String>,
    #[serde(default)]
    pub new_value: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Which assessment of the year the row is about (its `created_at`), written only
    /// where the facility holds more than one assessment of that year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_created: Option<String>,
    /// The hash of the bundle's row before this one (absent for the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_hash: Option<String>,
    /// This row's hash over `prev_hash` and its fields (`integrity::portable_audit_hash`);
    /// the import recomputes it. Absent in bundles of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl BundleAudit {
    /// The row's fields as its hash covers them.
    pub fn portable(&self) -> crate::integrity::PortableAudit<'_> {
        crate::integrity::PortableAudit {
            at: &self.at,
            by: &self.by,
            action: &self.action,
            facility: self.facility.as_deref(),
            year: self.year.map(i64::from),
            assessment_created: self.assessment_created.as_deref(),
            subject: self.subject.as_deref(),
            old_value: self.old_value.as_deref(),
            new_value: self.new_value.as_deref(),
            reason: self.reason.as_deref(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub models_added: usize,
    pub facilities_added: usize,
    pub assessments_added: usize,
    pub assessments_unchanged: usize,
    pub assessments_replaced: usize,
    pub scores_added: usize,
    pub actions_added: usize,
    pub audit_rows_added: usize,
    /// Each assessment the import replaced.
    pub replaced: Vec<Replaced>,
}

/// An assessment an import replaced: which, and its status before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub facility: String,
    pub year: i32,
    /// Its number in this database (it keeps it).
    pub assessment: i64,
    pub old_status: Status,
    pub new_status: Status,
}

/// What to do with an assessment the database has for the same facility and year, but
/// with other content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnConflict {
    /// Refuse the whole file.
    #[default]
    Refuse,
    /// The bundle's version replaces the database's draft; a finalised one is refused.
    Replace,
    /// The bundle's version replaces the database's, a finalised (signed) one too.
    ReplaceFinalised,
    /// Both are kept, as two assessments of the same year.
    KeepBoth,
}

/// Writes a bundle piece by piece: the head, then each assessment as it comes, then the
/// audit rows; memory does not grow with the number of assessments.
pub struct BundleWriter<W: std::io::Write> {
    w: W,
    state: u8,
    first: bool,
}

impl<W: std::io::Write> BundleWriter<W> {
    /// Writes the head: everything before the assessments.
    pub fn start(
        mut w: W,
        exported_at: &str,
        exported_by: &str,
        models: &[BundleModel],
        facilities: &[BundleFacility],
    ) -> std::io::Result<Self> {
        let s = |v: &str| serde_json::to_string(v).expect("a string serializes");
        write!(
            w,
            "{{\"format\":{},\"exported_at\":{},\"exported_by\":{},\"program\":{},\n\"models\":{},\n\"facilities\":{},\n\"assessments\":[",
            s(BUNDLE_FORMAT),
            s(exported_at),
            s(exported_by),
            s(concat!("tilsynsklar ", env!("CARGO_PKG_VERSION"))),
            serde_json::to_string(models)?,
            serde_json::to_string(facilities)?
        )?;
        Ok(BundleWriter {
            w,
            state: 0,
            first: true,
        })
    }

    fn item<T: Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        if !self.first {
            self.w.write_all(b",")?;
        }
        self.first = false;
        self.w.write_all(b"\n")?;
        serde_json::to_writer(&mut self.w, value)?;
        Ok(())
    }

    /// Writes one assessment.
    pub fn assessment(&mut self, a: &BundleAssessment<'_>) -> std::io::Result<()> {
        debug_assert_eq!(self.state, 0);
        self.item(a)
    }

    /// Writes one audit row (after the last assessment).
    pub fn audit(&mut self, row: &BundleAudit) -> std::io::Result<()> {
        if self.state == 0 {
            self.w.write_all(b"],\n\"audit_log\":[")?;
            self.state = 1;
            self.first = true;
        }
        self.item(row)
    }

    /// Closes the bundle.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.state == 0 {
            self.w.write_all(b"],\n\"audit_log\":[")?;
        }
        self.w.write_all(b"]}\n")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests;
