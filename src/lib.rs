//! tilsynsklar: a facility's annual quality self-assessment against the socialtilsyn
//! quality model, kept in SQLite, with its gaps linked to the region's action plans.

pub mod app;
pub mod assessment;
pub mod cli;
pub mod compare;
pub mod definition;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod export;
pub mod fuzzing;
pub mod i18n;
pub mod integrity;
pub mod model;
pub mod store;
pub mod strategy;
pub mod text;
pub mod tui;

pub use error::{Error, Result};
