//! Definitions: quality models and regional strategies (list, show, validate, import) and
//! the links from model nodes to action plans.

use super::Session;
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::{ModelRecord, StrategyRecord};
use crate::strategy::{Link, Strategy};
use std::rc::Rc;

/// The stored models, every version.
pub fn models(s: &Session) -> Result<Vec<ModelRecord>> {
    s.store.model_records()
}

/// The active version of a model; without an id, the model in force this year (the
/// session's clock).
pub fn model(s: &Session, id: Option<&str>) -> Result<Rc<QualityModel>> {
    match id {
        Some(id) => s.store.active_model(id),
        None => s.store.model_for_year(s.this_year()),
    }
}

/// The framework a comparison or a list is within: the one asked for, else the framework
/// of the model asked for, else `None` (the quality model).
pub fn framework_asked(
    s: &Session,
    framework: Option<&str>,
    model: Option<&str>,
) -> Result<Option<String>> {
    match (framework, model) {
        (Some(f), _) => Ok(Some(f.to_string())),
        (None, Some(m)) => Ok(Some(s.store.active_model(m)?.framework().to_string())),
        (None, None) => Ok(None),
    }
}

/// A model file checked, not loaded.
pub fn validate_model(file: &str, json: &str) -> Result<QualityModel> {
    QualityModel::parse(file, json)
}

/// Loads a region's official copy of a model; it becomes the active version. `false`:
/// that content was already stored.
pub fn import_model(s: &mut Session, model: &QualityModel, file: &str) -> Result<bool> {
    let stamp = s.stamp();
    s.store.import_model(model, file, &stamp)
}

/// Loads a mapping between two model versions of one framework (both must be in the
/// database), replacing one between the same two.
pub fn import_mapping(
    s: &mut Session,
    file: &str,
    json: &str,
) -> Result<crate::model::ModelMapping> {
    let stamp = s.stamp();
    s.store.import_mapping(file, json, &stamp)
}

/// The stored strategies.
pub fn strategies(s: &Session) -> Result<Vec<StrategyRecord>> {
    s.store.strategy_records()
}

/// A strategy by id.
pub fn strategy(s: &Session, id: &str) -> Result<Strategy> {
    s.store.strategy(id)
}

/// A strategy file checked against the active models, not loaded.
pub fn validate_strategy(s: &Session, file: &str, json: &str) -> Result<Strategy> {
    let models: Vec<QualityModel> = s
        .store
        .active_models()?
        .iter()
        .map(|m| (**m).clone())
        .collect();
    Strategy::parse(file, json, &models)
}

/// Loads a strategy; `true` where it replaced one of the same id.
pub fn import_strategy(s: &mut Session, strategy: &Strategy, file: &str) -> Result<bool> {
    let stamp = s.stamp();
    s.store.import_strategy(strategy, file, &stamp)
}

/// Adds a link from a model node to an action plan of a strategy.
pub fn add_link(s: &mut Session, strategy: &str, link: &Link) -> Result<()> {
    let stamp = s.stamp();
    s.store.add_link(strategy, link, &stamp)
}

/// Removes a link.
pub fn remove_link(s: &mut Session, strategy: &str, node: &str, target: &str) -> Result<()> {
    let stamp = s.stamp();
    s.store.remove_link(strategy, node, target, &stamp)
}
