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
