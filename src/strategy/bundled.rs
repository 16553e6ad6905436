//! The strategies that ship inside the binary.

use super::Strategy;
use crate::model::QualityModel;

/// The bundled strategy files: (file name, contents).
pub const BUNDLED_STRATEGIES: &[(&str, &str)] = &[
    (
        "data/strategies/region-midtjylland-social-strategi.json",
        include_str!("../../data/strategies/region-midtjylland-social-strategi.json"),
    ),
    (
        "data/strategies/region-syddanmark-strategisk-grundlag.json",
        include_str!("../../data/strategies/region-syddanmark-strategisk-grundlag.json"),
    ),
];

/// The bundled strategies, parsed and checked against the bundled models.
pub fn bundled_strategies(models: &[QualityModel]) -> Vec<Strategy> {
    BUNDLED_STRATEGIES
        .iter()
        .map(|(file, json)| Strategy::parse(file, json, models).expect("bundled strategy is valid"))
        .collect()
}
