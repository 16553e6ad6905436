//! The models and the mapping that ship inside the binary.

use super::{ModelMapping, QualityModel};

/// The bundled model files: (file name, contents).
pub const BUNDLED_MODELS: &[(&str, &str)] = &[
    (
        "data/models/socialtilsyn-2014.json",
        include_str!("../../data/models/socialtilsyn-2014.json"),
    ),
    (
        "data/models/socialtilsyn-2017.json",
        include_str!("../../data/models/socialtilsyn-2017.json"),
    ),
    (
        "data/models/sikkerhed-2017.json",
        include_str!("../../data/models/sikkerhed-2017.json"),
    ),
];

/// The bundled mapping files: (file name, contents).
pub const BUNDLED_MAPPINGS: &[(&str, &str)] = &[(
    "data/models/mapping-2014-2017.json",
    include_str!("../../data/models/mapping-2014-2017.json"),
)];

/// The bundled models as earlier releases of the program shipped them, by the hash
/// they had: the same files without the theme score rule (so the criterion mean) and with
/// the source text of then. The store keeps them as inactive versions, so assessments and
/// bundles made with them keep their model, and their numbers.
pub const EARLIER_BUNDLED: &[(&str, &str, &str)] = &[
    (
        "socialtilsyn-2014",
        "c6e0335f300a6a1d79ce8aa64a723b8516cfa7034274abc98edb0784e07ec8d0",
        "Bekendtgørelse om socialtilsyn, bilag 1 (2014). Texts gathered from public copies; each text says whether its wording is confirmed, its gist or reconstructed. Load the official copy with 'tilsynsklar model import'.",
    ),
    (
        "socialtilsyn-2017",
        "fc4ed5c384d756bcba4e3ead80b4a96db2bf01c615ecc957dc9ea00655040619",
        "Bekendtgørelse om socialtilsyn, bilag 1, revised model in force from 2017-01-01. Texts gathered from public copies; each text says whether its wording is confirmed, its gist or reconstructed. Criteria and indicators keep the 2014 numbering up to K10; Fysiske rammer is K11 (2014: K14). Load the official copy with 'tilsynsklar model import'.",
    ),
];

/// The earlier bundled versions (`EARLIER_BUNDLED`), each with the hash it must have.
pub fn earlier_bundled_models() -> Vec<(QualityModel, &'static str)> {
    let current = bundled_models();
    EARLIER_BUNDLED
        .iter()
        .filter_map(|(id, hash, source)| {
            let mut m = current.iter().find(|m| m.id == *id)?.clone();
            m.theme_score = None;
            m.source = (*source).to_string();
            Some((m, *hash))
        })
        .collect()
}

/// The bundled models, parsed. They are tested to be valid, so a failure is a build bug.
pub fn bundled_models() -> Vec<QualityModel> {
    BUNDLED_MODELS
        .iter()
        .map(|(file, json)| QualityModel::parse(file, json).expect("bundled model is valid"))
        .collect()
}

/// The bundled mappings, parsed and checked against the bundled models.
pub fn bundled_mappings(models: &[QualityModel]) -> Vec<ModelMapping> {
    BUNDLED_MAPPINGS
        .iter()
        .map(|(file, json)| {
            ModelMapping::parse(file, json, models).expect("bundled mapping is valid")
        })
        .collect()
}
