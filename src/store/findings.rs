//! What `verify` finds: the kinds of tampering, and the summary of a verification.

use crate::integrity::ChainBreak;
use serde::Serialize;

/// Something changed behind the program's back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tampering {
    /// An audit row that does not fit the chain.
    AuditRow {
        id: i64,
        action: String,
        at: String,
        assessment: Option<i64>,
        problem: ChainBreak,
    },
    /// A finalised assessment whose scores or texts no longer give its sign-off hash.
    Signoff {
        assessment: i64,
        facility: String,
        year: i32,
    },
    /// An assessment whose status or sign-off is not what the last finalise or reopen row
    /// of the audit chain says.
    Status {
        assessment: i64,
        facility: String,
        year: i32,
        problem: StatusProblem,
    },
    /// An improvement action changed or deleted behind the program's back.
    Action {
        id: i64,
        assessment: i64,
        problem: ActionProblem,
    },
    /// A stored text that is not UTF-8 (the program writes only UTF-8).
    Text {
        table: String,
        row: String,
        column: String,
    },
}

/// How an assessment's status or sign-off differs from the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusProblem {
    /// A draft whose last finalise/reopen row is a finalise: un-finalised behind the program's back.
    Unfinalised,
    /// Finalised, but the chain holds no finalise row after its last reopen.
    FinalisedOutsideChain,
    /// The signer is not the one the finalise row names.
    Signer,
    /// The sign-off time is not the finalise row's.
    Time,
    /// The assessment belongs to another facility than the one it was signed for.
    Facility,
    /// The sign-off hash is not the one the finalise row names.
    Hash,
}

/// How an improvement action differs from its last logged state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionProblem {
    Changed,
    Deleted,
}

/// What `verify` checked and found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Audit rows walked (all of them: the chain runs through every assessment).
    pub audit_rows: usize,
    /// The hash of the chain's last row: noting it down lets a later check see rows cut off the end.
    pub chain_head: String,
    /// Finalised assessments re-hashed against their sign-off.
    pub signoffs: usize,
    /// Finalised before sign-off hashes were recorded (nothing to check against).
    pub unsigned: usize,
    pub findings: Vec<Tampering>,
}

impl Verification {
    /// The numbers of the audit rows, and of the assessments (their sign-off or status),
    /// that were found changed.
    pub fn named(&self) -> (Vec<String>, Vec<String>) {
        self.named_all().0
    }

    /// `named`, and the improvement actions changed or deleted, and the damaged texts
    /// (as "table row column").
    #[allow(clippy::type_complexity)]
    pub fn named_all(&self) -> ((Vec<String>, Vec<String>), Vec<String>, Vec<String>) {
        let mut actions = Vec::new();
        let mut texts = Vec::new();
        for f in &self.findings {
            match f {
                Tampering::Action { id, .. } => actions.push(id.to_string()),
                Tampering::Text { table, row, column } => {
                    texts.push(format!("{table} {row} {column}"))
                }
                _ => {}
            }
        }
        ((self.rows_and_assessments()), actions, texts)
    }

    fn rows_and_assessments(&self) -> (Vec<String>, Vec<String>) {
        let mut rows = Vec::new();
        let mut assessments = Vec::new();
        for f in &self.findings {
            match f {
                Tampering::AuditRow { id, .. } => rows.push(id.to_string()),
                Tampering::Signoff { assessment, .. } | Tampering::Status { assessment, .. } => {
                    if !assessments.contains(&assessment.to_string()) {
                        assessments.push(assessment.to_string())
                    }
                }
                Tampering::Action { .. } | Tampering::Text { .. } => {}
            }
        }
        (rows, assessments)
    }
}
