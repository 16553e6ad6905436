//! The backend seam: what the application layer asks of a store, as job-sized traits of
//! primitive operations in domain terms (taskchampion's `Storage` pattern). SQLite's
//! `Store` implements them in `backend_sqlite.rs` by delegating to its own methods; a
//! second backend (PostgreSQL, `store_pg/`) implements them one trait at a time, each
//! held by the shared suite in `backend_suite.rs`. The rules stay in the core.

use super::{
    ActionChanges, ActionFilter, AssessmentBrief, AssessmentKey, AssessmentRecord, AssessmentRef,
    AuditEntry, Check, CompareFilter, Facility, FacilityChanges, FacilityId, ModelRecord,
    NewFacility, ScoreText, Selection, Stamp, StoredText, StrategyRecord, TextScope, Verification,
};
use crate::assessment::{
    GapRules, ImprovementAction, NewAction, PersonalDataPolicy, Score, ScoreInput,
};
use crate::compare::{AssessmentScores, Models};
use crate::error::Result;
use crate::exchange::{
    BundleAssessment, BundleAudit, BundleFacility, BundleModel, ImportReport, OnConflict,
};
use crate::integrity::SignedRecord;
use crate::model::{ApplicabilityTag, ModelMapping, QualityModel};
use crate::strategy::{Link, Strategy};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

/// A score row of the bulk loader: indicator, value (`None`: not relevant), reasoning, sources.
pub type BulkScore<'a> = (&'a str, Option<u8>, &'a str, &'a str);

/// What `for_each_selected_scores` hands over: an assessment, its scores, its actions.
pub type SelectedScores<'a> =
    dyn FnMut(&AssessmentRecord, &[Score], &[ImprovementAction]) -> Result<()> + 'a;

/// Facilities and their tags.
pub trait Facilities {
    /// Registers a facility.
    fn add_facility(&mut self, new: &NewFacility, stamp: &Stamp) -> Result<Facility>;
    /// The facilities, by name; archived ones only when asked for.
    fn facilities(&self, include_archived: bool) -> Result<Vec<Facility>>;
    /// The facility with this number.
    fn facility_by_id(&self, id: FacilityId) -> Result<Facility>;
    /// The facility a user's text names, read by `FacilityKey::parse`.
    fn find_facility(&self, text: &str) -> Result<Facility>;
    /// Changes a facility's details.
    fn edit_facility(
        &mut self,
        key: &str,
        changes: &FacilityChanges,
        stamp: &Stamp,
    ) -> Result<Facility>;
    /// Archives a facility: it leaves the lists, its assessments stay.
    fn archive_facility(&mut self, key: &str, stamp: &Stamp) -> Result<Facility>;
}

/// Assessment rows: start (with roll-forward), look up, list, finalise, reopen, move.
pub trait Assessments {
    /// Starts a facility's assessment for a year on a model version (see `Store`'s).
    fn start_assessment(
        &mut self,
        facility: &Facility,
        year: i32,
        model: &QualityModel,
        roll_forward: bool,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord>;
    /// The assessment the user names.
    fn assessment(&self, r: &AssessmentRef) -> Result<AssessmentRecord>;
    /// The assessments, newest year first; of one facility where given.
    fn assessments(&self, facility: Option<&Facility>) -> Result<Vec<AssessmentRecord>>;
    /// Every assessment without its progress count (`done` is 0).
    fn assessments_brief(&self) -> Result<Vec<AssessmentRecord>>;
    /// Signs an assessment off. Refused while any indicator is unscored.
    fn finalise(
        &mut self,
        assessment: i64,
        signed_by: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord>;
    /// Reopens a finalised assessment for changes; the reason goes into the audit log.
    fn reopen(&mut self, assessment: i64, reason: &str, stamp: &Stamp) -> Result<AssessmentRecord>;
    /// Moves a draft to another version of its model with the same node ids.
    fn move_draft_to_version(
        &mut self,
        assessment: i64,
        model: &QualityModel,
        file: &str,
        stamp: &Stamp,
    ) -> Result<()>;
}

/// Scores: reading them, and the store's side of saving, confirming and restoring one.
pub trait Scores {
    /// The scores of an assessment, by indicator id.
    fn scores(&self, assessment: i64) -> Result<Vec<Score>>;
    /// Saves one score with its audit row; a finalised assessment is refused.
    fn set_score(&mut self, assessment: i64, input: &ScoreInput, stamp: &Stamp) -> Result<Score>;
    /// Confirms a carried-over score as re-assessed; whether there was anything to confirm.
    fn confirm_score(&mut self, assessment: i64, indicator: &str, stamp: &Stamp) -> Result<bool>;
    /// Puts an indicator's score back as it was (`None`: unscored), for undo. Audited.
    fn restore_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        previous: Option<&Score>,
        stamp: &Stamp,
    ) -> Result<()>;
    /// The score values of these assessments (no texts), by assessment.
    fn score_values_of(
        &self,
        assessments: &[i64],
    ) -> Result<HashMap<i64, Vec<super::tui_reads::ScoreMark>>>;
    /// The indicators carried over and not re-assessed, by assessment.
    fn carried_over_scores(&self) -> Result<HashMap<i64, HashSet<String>>>;
}

/// Improvement actions.
pub trait Actions {
    /// One action.
    fn action(&self, id: i64) -> Result<ImprovementAction>;
    /// The actions, by facility, year and id; of one assessment or facility where given.
    fn actions(&self, filter: &ActionFilter) -> Result<Vec<ImprovementAction>>;
    /// The improvement actions of one assessment, in number order.
    fn assessment_actions(&self, assessment: i64) -> Result<Vec<ImprovementAction>>;
    /// Adds an improvement action to an assessment.
    fn add_action(
        &mut self,
        assessment: i64,
        new: &NewAction,
        stamp: &Stamp,
    ) -> Result<ImprovementAction>;
    /// Changes an action; a done or dropped action does not change again.
    fn edit_action(
        &mut self,
        id: i64,
        changes: &ActionChanges,
        stamp: &Stamp,
    ) -> Result<ImprovementAction>;
}

/// The database's settings: gap rules, the personal-data policy, `--strict`.
pub trait Settings {
    /// The gap rules in force: the defaults, with what this database has set.
    fn gap_rules(&self) -> Result<GapRules>;
    /// Sets one gap rule (checked against the others first).
    fn set_gap_rule(&mut self, name: &str, value: &str, stamp: &Stamp) -> Result<GapRules>;
    /// Puts the gap rules back to the defaults.
    fn reset_gap_rules(&mut self, stamp: &Stamp) -> Result<()>;
    /// What happens to texts holding personal identifiers in this database.
    fn personal_data_policy(&self) -> Result<PersonalDataPolicy>;
    /// Sets what happens to texts holding personal identifiers in this database.
    fn set_personal_data_policy(&mut self, policy: PersonalDataPolicy, stamp: &Stamp)
    -> Result<()>;
    /// The policy a score's write applies: strict by `--strict` or by the setting.
    fn write_policy(&self) -> Result<PersonalDataPolicy>;
    /// Refuses texts holding personal identifiers from now on (`--strict`).
    fn set_strict(&mut self);
    /// Whether `--strict` was given (the database's policy aside).
    fn strict(&self) -> bool;
}

/// Model versions and the mappings between them.
pub trait ModelVersions {
    /// The active version of the model with this id.
    fn active_model(&self, id: &str) -> Result<Rc<QualityModel>>;
    /// The active versions of every model.
    fn active_models(&self) -> Result<Vec<Rc<QualityModel>>>;
    /// The model version with this content hash.
    fn model_by_hash(&self, hash: &str) -> Result<Rc<QualityModel>>;
    /// The active quality model (the default framework) in force on 1 January of `year`.
    fn model_for_year(&self, year: i32) -> Result<Rc<QualityModel>>;
    /// The active model of `framework` in force on 1 January of `year`.
    fn framework_model_for_year(&self, year: i32, framework: &str) -> Result<Rc<QualityModel>>;
    /// The active models in force on some day of `year`.
    fn models_for_year(&self, year: i32) -> Result<Vec<Rc<QualityModel>>>;
    /// Every model version the database holds, active ones first within each id.
    fn model_records(&self) -> Result<Vec<ModelRecord>>;
    /// The framework of the model version with this content hash.
    fn framework_of_hash(&self, hash: &str) -> Result<String>;
    /// The applicability tags the active models define, each once.
    fn tag_choices(&self) -> Result<Vec<ApplicabilityTag>>;
    /// Imports a region's own copy of a model; whether it was new.
    fn import_model(&mut self, model: &QualityModel, file: &str, stamp: &Stamp) -> Result<bool>;
    /// Stores a mapping between two model versions, replacing one between the same two.
    fn import_mapping(&mut self, file: &str, json: &str, stamp: &Stamp) -> Result<ModelMapping>;
    /// The mapping between two model versions, in whichever direction it is held.
    fn mapping_between(&self, a: &str, b: &str) -> Result<Option<ModelMapping>>;
}

/// Strategies and the links from model nodes to them.
pub trait Strategies {
    /// Every strategy the database holds.
    fn strategy_records(&self) -> Result<Vec<StrategyRecord>>;
    /// A whole strategy, rebuilt from its rows.
    fn strategy(&self, id: &str) -> Result<Strategy>;
    /// Imports a strategy file, replacing one with the same id; whether it replaced one.
    fn import_strategy(&mut self, s: &Strategy, file: &str, stamp: &Stamp) -> Result<bool>;
    /// Adds a link from a model node to a strategy node.
    fn add_link(&mut self, strategy_id: &str, link: &Link, stamp: &Stamp) -> Result<()>;
    /// Removes a link.
    fn remove_link(
        &mut self,
        strategy_id: &str,
        node: &str,
        target: &str,
        stamp: &Stamp,
    ) -> Result<()>;
    /// The strategies that apply to a facility, each with its mapping to `model_id`.
    fn strategies_for(
        &self,
        facility: &Facility,
        model_id: &str,
    ) -> Result<Vec<(Strategy, Option<ModelMapping>)>>;
}

/// The audit log as a hash chain, and the check of it and of every sign-off.
pub trait AuditChain {
    /// The audit log, oldest first; of one assessment where given.
    fn audit_log(&self, assessment: Option<i64>) -> Result<Vec<AuditEntry>>;
    /// Recomputes the audit chain and the sign-off hashes; of one assessment where given.
    fn verify(&self, assessment: Option<i64>) -> Result<Verification>;
}

/// The reads of lists and comparisons (the read model, the home screen, compare).
pub trait Listings {
    /// Every assessment's key, by facility, year and number.
    fn assessment_keys(&self) -> Result<Vec<AssessmentKey>>;
    /// The keys of one facility's assessments, by year and number.
    fn assessment_keys_of(&self, facility_id: i64) -> Result<Vec<AssessmentKey>>;
    /// Every assessment as the home list shows it, in no particular order.
    fn assessment_briefs(&self) -> Result<Vec<AssessmentBrief>>;
    /// The keys of filtered assessments sharing their facility and year with another.
    fn double_keys_where(&self, filter: &CompareFilter) -> Result<Vec<AssessmentKey>>;
    /// The models a comparison of the filtered assessments needs.
    fn compare_frame(&self, filter: &CompareFilter, chosen: Option<&str>) -> Result<Models>;
    /// The models a comparison may meet, without reading the assessments.
    fn compare_frame_any(&self, chosen: Option<&str>, framework: &str) -> Result<Models>;
    /// Streams the filtered assessments with their scores, oldest year first.
    fn for_each_assessment_scores(
        &self,
        filter: &CompareFilter,
        f: &mut dyn FnMut(&AssessmentScores) -> Result<()>,
    ) -> Result<()>;
    /// Whether this database was made by `tilsynsklar demo`.
    fn is_demo(&self) -> Result<bool>;
}

/// What an export, a bundle and the privacy scan read.
pub trait Exchange {
    /// The facilities and assessments a selection takes, in a stable order.
    fn select(&self, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)>;
    /// An assessment in bundle form.
    fn bundle_assessment(&self, a: &AssessmentRecord) -> Result<BundleAssessment<'static>>;
    /// Facilities in bundle form.
    fn bundle_facilities(&self, facilities: &[Facility]) -> Vec<BundleFacility>;
    /// The model versions assessments name.
    fn bundle_models(&self, assessments: &[AssessmentRecord]) -> Result<Vec<BundleModel>>;
    /// Streams the audit rows of these facilities and assessments, oldest first.
    fn for_each_audit_row(
        &self,
        facilities: &[Facility],
        assessments: &[AssessmentRecord],
        f: &mut dyn FnMut(BundleAudit) -> Result<()>,
    ) -> Result<()>;
    /// Streams a selection's assessments with their scores and actions.
    fn for_each_selected_scores(&self, sel: &Selection, f: &mut SelectedScores<'_>) -> Result<()>;
    /// Streams a selection's assessments with their scores' texts.
    fn for_each_selected_texts(
        &self,
        sel: &Selection,
        f: &mut dyn FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()>;
    /// Every stored free text in scope but the scores'.
    fn for_each_free_text(
        &self,
        scope: &TextScope,
        f: &mut dyn FnMut(StoredText) -> Result<()>,
    ) -> Result<()>;
}

/// The bundle import: a bundle's facilities, models, assessments and audit rows into this store.
pub trait BundleImport {
    /// Imports a bundle from what `open` reads (called again to locate a JSON error).
    fn import_bundle_from(
        &mut self,
        file: &str,
        open: &dyn Fn() -> std::io::Result<Box<dyn Read + Send>>,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport>;
    /// Imports a bundle from its text.
    fn import_bundle_text(
        &mut self,
        file: &str,
        text: &str,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport>;
}

/// Backup and the health checks.
pub trait Maintenance {
    /// Where this store keeps its data (a file; a server's address for a server).
    fn path(&self) -> &Path;
    /// Copies the database to `dest`, consistent even while others write.
    fn backup(&self, dest: &Path) -> Result<()>;
    /// The health checks.
    fn doctor(&self) -> Result<Vec<Check>>;
}

/// Many rows in one transaction (the demo data): nothing is visible until `commit`.
pub trait Bulk {
    /// Starts a bulk load.
    fn bulk(&mut self) -> Result<Box<dyn BulkLoad + '_>>;
}

/// One bulk load under way (see `BulkLoader`).
pub trait BulkLoad {
    /// A facility by name, added where missing; its number.
    fn facility(&mut self, f: &NewFacility, at: &str) -> Result<i64>;
    /// Adds an assessment; its number. `signed`: (time, sign-off hash of the rows
    /// `scores` is given next) of one inserted finalised (see `BulkLoader::assessment`).
    #[allow(clippy::too_many_arguments)]
    fn assessment(
        &mut self,
        facility: i64,
        year: i32,
        model_id: &str,
        hash: &str,
        by: &str,
        at: &str,
        signed: Option<(&str, &str)>,
    ) -> Result<i64>;
    /// Adds an assessment's scores.
    fn scores(&mut self, assessment: i64, rows: &[BulkScore<'_>], by: &str, at: &str)
    -> Result<()>;
    /// Adds an improvement action.
    #[allow(clippy::too_many_arguments)]
    fn action(
        &mut self,
        assessment: i64,
        indicator: &str,
        text: &str,
        owner: &str,
        due: Option<chrono::NaiveDate>,
        status: &str,
        drop_reason: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()>;
    /// Signs an assessment off with the sign-off hash of the rows `scores` wrote.
    fn finalise(
        &mut self,
        assessment: i64,
        record: &SignedRecord<'_>,
        rows: &[BulkScore<'_>],
        by: &str,
        at: &str,
    ) -> Result<()>;
    /// Appends an audit row to the chain.
    #[allow(clippy::too_many_arguments)]
    fn audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()>;
    /// Commits the whole load.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Everything the application layer asks of a store: one backend behind the seam.
pub trait Backend:
    Facilities
    + Assessments
    + Scores
    + Actions
    + Settings
    + ModelVersions
    + Strategies
    + AuditChain
    + Listings
    + Exchange
    + BundleImport
    + Maintenance
    + Bulk
{
}

impl<T> Backend for T where
    T: Facilities
        + Assessments
        + Scores
        + Actions
        + Settings
        + ModelVersions
        + Strategies
        + AuditChain
        + Listings
        + Exchange
        + BundleImport
        + Maintenance
        + Bulk
{
}
