//! SQLite's `Store` behind the seam: every trait of `backend.rs` delegates to the
//! store's own method of the same name (the methods stay where they are, so the seam
//! adds no SQL and no second path).

use super::backend::*;
use super::bulk::BulkLoader;
use super::{
    ActionChanges, ActionFilter, AssessmentBrief, AssessmentKey, AssessmentRecord, AssessmentRef,
    AuditEntry, Check, CompareFilter, Facility, FacilityChanges, FacilityId, ModelRecord,
    NewFacility, ScoreText, Selection, Stamp, Store, StoredText, StrategyRecord, TextScope,
    Verification,
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

impl Facilities for Store {
    fn add_facility(&mut self, new: &NewFacility, stamp: &Stamp) -> Result<Facility> {
        Store::add_facility(self, new, stamp)
    }
    fn facilities(&self, include_archived: bool) -> Result<Vec<Facility>> {
        Store::facilities(self, include_archived)
    }
    fn facility_by_id(&self, id: FacilityId) -> Result<Facility> {
        Store::facility_by_id(self, id)
    }
    fn find_facility(&self, text: &str) -> Result<Facility> {
        Store::find_facility(self, text)
    }
    fn edit_facility(
        &mut self,
        key: &str,
        changes: &FacilityChanges,
        stamp: &Stamp,
    ) -> Result<Facility> {
        Store::edit_facility(self, key, changes, stamp)
    }
    fn archive_facility(&mut self, key: &str, stamp: &Stamp) -> Result<Facility> {
        Store::archive_facility(self, key, stamp)
    }
}

impl Assessments for Store {
    fn start_assessment(
        &mut self,
        facility: &Facility,
        year: i32,
        model: &QualityModel,
        roll_forward: bool,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        Store::start_assessment(self, facility, year, model, roll_forward, stamp)
    }
    fn assessment(&self, r: &AssessmentRef) -> Result<AssessmentRecord> {
        Store::assessment(self, r)
    }
    fn assessments(&self, facility: Option<&Facility>) -> Result<Vec<AssessmentRecord>> {
        Store::assessments(self, facility)
    }
    fn assessments_brief(&self) -> Result<Vec<AssessmentRecord>> {
        Store::assessments_brief(self)
    }
    fn finalise(
        &mut self,
        assessment: i64,
        signed_by: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        Store::finalise(self, assessment, signed_by, stamp)
    }
    fn reopen(&mut self, assessment: i64, reason: &str, stamp: &Stamp) -> Result<AssessmentRecord> {
        Store::reopen(self, assessment, reason, stamp)
    }
    fn move_draft_to_version(
        &mut self,
        assessment: i64,
        model: &QualityModel,
        file: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        Store::move_draft_to_version(self, assessment, model, file, stamp)
    }
}

impl Scores for Store {
    fn scores(&self, assessment: i64) -> Result<Vec<Score>> {
        Store::scores(self, assessment)
    }
    fn set_score(&mut self, assessment: i64, input: &ScoreInput, stamp: &Stamp) -> Result<Score> {
        Store::set_score(self, assessment, input, stamp)
    }
    fn confirm_score(&mut self, assessment: i64, indicator: &str, stamp: &Stamp) -> Result<bool> {
        Store::confirm_score(self, assessment, indicator, stamp)
    }
    fn restore_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        previous: Option<&Score>,
        stamp: &Stamp,
    ) -> Result<()> {
        Store::restore_score(self, assessment, indicator, previous, stamp)
    }
    fn score_values_of(
        &self,
        assessments: &[i64],
    ) -> Result<HashMap<i64, Vec<super::tui_reads::ScoreMark>>> {
        Store::score_values_of(self, assessments)
    }
    fn carried_over_scores(&self) -> Result<HashMap<i64, HashSet<String>>> {
        Store::carried_over_scores(self)
    }
}

impl Actions for Store {
    fn action(&self, id: i64) -> Result<ImprovementAction> {
        Store::action(self, id)
    }
    fn actions(&self, filter: &ActionFilter) -> Result<Vec<ImprovementAction>> {
        Store::actions(self, filter)
    }
    fn assessment_actions(&self, assessment: i64) -> Result<Vec<ImprovementAction>> {
        Store::assessment_actions(self, assessment)
    }
    fn add_action(
        &mut self,
        assessment: i64,
        new: &NewAction,
        stamp: &Stamp,
    ) -> Result<ImprovementAction> {
        Store::add_action(self, assessment, new, stamp)
    }
    fn edit_action(
        &mut self,
        id: i64,
        changes: &ActionChanges,
        stamp: &Stamp,
    ) -> Result<ImprovementAction> {
        Store::edit_action(self, id, changes, stamp)
    }
}

impl Settings for Store {
    fn gap_rules(&self) -> Result<GapRules> {
        Store::gap_rules(self)
    }
    fn set_gap_rule(&mut self, name: &str, value: &str, stamp: &Stamp) -> Result<GapRules> {
        Store::set_gap_rule(self, name, value, stamp)
    }
    fn reset_gap_rules(&mut self, stamp: &Stamp) -> Result<()> {
        Store::reset_gap_rules(self, stamp)
    }
    fn personal_data_policy(&self) -> Result<PersonalDataPolicy> {
        Store::personal_data_policy(self)
    }
    fn set_personal_data_policy(
        &mut self,
        policy: PersonalDataPolicy,
        stamp: &Stamp,
    ) -> Result<()> {
        Store::set_personal_data_policy(self, policy, stamp)
    }
    fn write_policy(&self) -> Result<PersonalDataPolicy> {
        Store::write_policy(self)
    }
    fn set_strict(&mut self) {
        Store::set_strict(self)
    }
    fn strict(&self) -> bool {
        Store::strict(self)
    }
}

impl ModelVersions for Store {
    fn active_model(&self, id: &str) -> Result<Rc<QualityModel>> {
        Store::active_model(self, id)
    }
    fn active_models(&self) -> Result<Vec<Rc<QualityModel>>> {
        Store::active_models(self)
    }
    fn model_by_hash(&self, hash: &str) -> Result<Rc<QualityModel>> {
        Store::model_by_hash(self, hash)
    }
    fn model_for_year(&self, year: i32) -> Result<Rc<QualityModel>> {
        Store::model_for_year(self, year)
    }
    fn framework_model_for_year(&self, year: i32, framework: &str) -> Result<Rc<QualityModel>> {
        Store::framework_model_for_year(self, year, framework)
    }
    fn models_for_year(&self, year: i32) -> Result<Vec<Rc<QualityModel>>> {
        Store::models_for_year(self, year)
    }
    fn model_records(&self) -> Result<Vec<ModelRecord>> {
        Store::model_records(self)
    }
    fn framework_of_hash(&self, hash: &str) -> Result<String> {
        Store::framework_of_hash(self, hash)
    }
    fn tag_choices(&self) -> Result<Vec<ApplicabilityTag>> {
        Store::tag_choices(self)
    }
    fn import_model(&mut self, model: &QualityModel, file: &str, stamp: &Stamp) -> Result<bool> {
        Store::import_model(self, model, file, stamp)
    }
    fn import_mapping(&mut self, file: &str, json: &str, stamp: &Stamp) -> Result<ModelMapping> {
        Store::import_mapping(self, file, json, stamp)
    }
    fn mapping_between(&self, a: &str, b: &str) -> Result<Option<ModelMapping>> {
        Store::mapping_between(self, a, b)
    }
}

impl Strategies for Store {
    fn strategy_records(&self) -> Result<Vec<StrategyRecord>> {
        Store::strategy_records(self)
    }
    fn strategy(&self, id: &str) -> Result<Strategy> {
        Store::strategy(self, id)
    }
    fn import_strategy(&mut self, s: &Strategy, file: &str, stamp: &Stamp) -> Result<bool> {
        Store::import_strategy(self, s, file, stamp)
    }
    fn add_link(&mut self, strategy_id: &str, link: &Link, stamp: &Stamp) -> Result<()> {
        Store::add_link(self, strategy_id, link, stamp)
    }
    fn remove_link(
        &mut self,
        strategy_id: &str,
        node: &str,
        target: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        Store::remove_link(self, strategy_id, node, target, stamp)
    }
    fn strategies_for(
        &self,
        facility: &Facility,
        model_id: &str,
    ) -> Result<Vec<(Strategy, Option<ModelMapping>)>> {
        Store::strategies_for(self, facility, model_id)
    }
}

impl AuditChain for Store {
    fn audit_log(&self, assessment: Option<i64>) -> Result<Vec<AuditEntry>> {
        Store::audit_log(self, assessment)
    }
    fn verify(&self, assessment: Option<i64>) -> Result<Verification> {
        Store::verify(self, assessment)
    }
}

impl Listings for Store {
    fn assessment_keys(&self) -> Result<Vec<AssessmentKey>> {
        Store::assessment_keys(self)
    }
    fn assessment_keys_of(&self, facility_id: i64) -> Result<Vec<AssessmentKey>> {
        Store::assessment_keys_of(self, facility_id)
    }
    fn assessment_briefs(&self) -> Result<Vec<AssessmentBrief>> {
        Store::assessment_briefs(self)
    }
    fn double_keys_where(&self, filter: &CompareFilter) -> Result<Vec<AssessmentKey>> {
        Store::double_keys_where(self, filter)
    }
    fn compare_frame(&self, filter: &CompareFilter, chosen: Option<&str>) -> Result<Models> {
        Store::compare_frame(self, filter, chosen)
    }
    fn compare_frame_any(&self, chosen: Option<&str>, framework: &str) -> Result<Models> {
        Store::compare_frame_any(self, chosen, framework)
    }
    fn for_each_assessment_scores(
        &self,
        filter: &CompareFilter,
        f: &mut dyn FnMut(&AssessmentScores) -> Result<()>,
    ) -> Result<()> {
        Store::for_each_assessment_scores(self, filter, f)
    }
    fn is_demo(&self) -> Result<bool> {
        Store::is_demo(self)
    }
}

impl Exchange for Store {
    fn select(&self, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
        Store::select(self, sel)
    }
    fn bundle_assessment(&self, a: &AssessmentRecord) -> Result<BundleAssessment<'static>> {
        Store::bundle_assessment(self, a)
    }
    fn bundle_facilities(&self, facilities: &[Facility]) -> Vec<BundleFacility> {
        Store::bundle_facilities(self, facilities)
    }
    fn bundle_models(&self, assessments: &[AssessmentRecord]) -> Result<Vec<BundleModel>> {
        Store::bundle_models(self, assessments)
    }
    fn for_each_audit_row(
        &self,
        facilities: &[Facility],
        assessments: &[AssessmentRecord],
        f: &mut dyn FnMut(BundleAudit) -> Result<()>,
    ) -> Result<()> {
        Store::for_each_audit_row(self, facilities, assessments, f)
    }
    fn for_each_selected_scores(&self, sel: &Selection, f: &mut SelectedScores<'_>) -> Result<()> {
        Store::for_each_selected_scores(self, sel, f)
    }
    fn for_each_selected_texts(
        &self,
        sel: &Selection,
        f: &mut dyn FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        Store::for_each_selected_texts(self, sel, f)
    }
    fn for_each_free_text(
        &self,
        scope: &TextScope,
        f: &mut dyn FnMut(StoredText) -> Result<()>,
    ) -> Result<()> {
        Store::for_each_free_text(self, scope, f)
    }
}

impl BundleImport for Store {
    fn import_bundle_from(
        &mut self,
        file: &str,
        open: &dyn Fn() -> std::io::Result<Box<dyn Read + Send>>,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        Store::import_bundle_from(self, file, open, on_conflict, stamp)
    }
    fn import_bundle_text(
        &mut self,
        file: &str,
        text: &str,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        Store::import_bundle_text(self, file, text, on_conflict, stamp)
    }
}

impl Maintenance for Store {
    fn path(&self) -> &Path {
        Store::path(self)
    }
    fn backup(&self, dest: &Path) -> Result<()> {
        Store::backup(self, dest)
    }
    fn doctor(&self) -> Result<Vec<Check>> {
        Store::doctor(self)
    }
}

impl Bulk for Store {
    fn bulk(&mut self) -> Result<Box<dyn BulkLoad + '_>> {
        Ok(Box::new(Store::bulk(self)?))
    }
}

impl BulkLoad for BulkLoader<'_> {
    fn facility(&mut self, f: &NewFacility, at: &str) -> Result<i64> {
        BulkLoader::facility(self, f, at)
    }
    fn assessment(
        &mut self,
        facility: i64,
        year: i32,
        model_id: &str,
        hash: &str,
        by: &str,
        at: &str,
        signed: Option<(&str, &str)>,
    ) -> Result<i64> {
        BulkLoader::assessment(self, facility, year, model_id, hash, by, at, signed)
    }
    fn scores(
        &mut self,
        assessment: i64,
        rows: &[BulkScore<'_>],
        by: &str,
        at: &str,
    ) -> Result<()> {
        BulkLoader::scores(self, assessment, rows, by, at)
    }
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
    ) -> Result<()> {
        BulkLoader::action(
            self,
            assessment,
            indicator,
            text,
            owner,
            due,
            status,
            drop_reason,
            by,
            at,
        )
    }
    fn finalise(
        &mut self,
        assessment: i64,
        record: &SignedRecord<'_>,
        rows: &[BulkScore<'_>],
        by: &str,
        at: &str,
    ) -> Result<()> {
        BulkLoader::finalise(self, assessment, record, rows, by, at)
    }
    fn audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        BulkLoader::audit(self, action, facility, assessment, new_value, by, at)
    }
    fn commit(self: Box<Self>) -> Result<()> {
        BulkLoader::commit(*self)
    }
}
