//! The proof a bundle carries: a finalised assessment's sign-off hash, recomputed from
//! the bundle's own fields, and the hash chain of its audit rows. A bundle of an older
//! version carries neither and is taken on the importer's word (see docs/security.md).

use super::{BundleAssessment, BundleAudit};
use crate::assessment::Status;
use crate::error::{Error, Result};
use crate::integrity::{SignedRecord, SignedScore, portable_audit_hash, signoff_v2};

/// The sign-off hash of the `i`th assessment, where it carries one: it must be what the
/// bundle's fields give in its encoding. A draft carries none.
pub fn check_signoff(file: &str, i: usize, a: &BundleAssessment<'_>) -> Result<()> {
    let p = format!("assessments[{i}]");
    let err = |key: &str, msg: String| Err(Error::definition(file, format!("{p}.{key}"), msg));
    let Some(claimed) = &a.signoff_hash else {
        if a.signoff_version.is_some() {
            return err(
                "signoff_version",
                "a sign-off version without a hash".into(),
            );
        }
        return Ok(());
    };
    if a.status != Status::Finalised {
        return err(
            "signoff_hash",
            "a draft carries no sign-off hash".to_string(),
        );
    }
    let computed = match a.signoff_version {
        Some(1) => crate::assessment::signoff_hash(
            &a.model_hash,
            a.scores.iter().map(|s| {
                (
                    s.indicator.as_ref(),
                    s.value.and_then(|v| u8::try_from(v).ok()),
                    s.not_relevant,
                    s.reasoning.as_ref(),
                    s.sources.as_ref(),
                )
            }),
        ),
        Some(2) => signoff_v2(
            &SignedRecord {
                year: a.year.into(),
                model_hash: &a.model_hash,
                signer: a.finalised_by.as_deref(),
                at: a.finalised_at.as_deref(),
            },
            &a.scores
                .iter()
                .map(|s| SignedScore {
                    indicator: &s.indicator,
                    value: s.value,
                    not_relevant: s.not_relevant,
                    reasoning: &s.reasoning,
                    sources: &s.sources,
                    by: &s.by,
                    at: &s.at,
                    carried_over: s.carried_over,
                })
                .collect::<Vec<_>>(),
        ),
        Some(v) => return err("signoff_version", format!("unknown sign-off encoding {v}")),
        None => {
            return err(
                "signoff_version",
                "a sign-off hash without its version".into(),
            );
        }
    };
    if &computed != claimed {
        return err(
            "signoff_hash",
            format!(
                "the assessment does not hold what was signed (finalised by {}): its content gives another hash",
                a.finalised_by.as_deref().unwrap_or("?")
            ),
        );
    }
    Ok(())
}

/// Walks a bundle's audit rows in file order (they come in chunks): either every row
/// carries its hash, chained to the row before, or none does (a bundle of an older
/// version).
#[derive(Debug, Default)]
pub struct AuditProof {
    previous: String,
    /// Whether the rows carry hashes, decided by the first row.
    sealed: Option<bool>,
}

impl AuditProof {
    /// Checks the next rows, the log's from its `first`.
    pub fn check(&mut self, file: &str, first: usize, rows: &[BundleAudit]) -> Result<()> {
        for (i, r) in (first..).zip(rows) {
            let err = |key: &str, msg: &str| {
                Err(Error::definition(
                    file,
                    format!("audit_log[{i}].{key}"),
                    msg.to_string(),
                ))
            };
            let sealed = *self.sealed.get_or_insert(r.hash.is_some());
            let Some(hash) = &r.hash else {
                if sealed {
                    return err("hash", "the row carries no hash, and the rows before it do");
                }
                if r.prev_hash.is_some() {
                    return err("prev_hash", "a row without a hash names a previous one");
                }
                continue;
            };
            if !sealed {
                return err(
                    "hash",
                    "the row carries a hash, and the rows before it none",
                );
            }
            let prev = r.prev_hash.as_deref().unwrap_or_default();
            if portable_audit_hash(prev, &r.portable()) != *hash {
                return err(
                    "hash",
                    "the row's fields do not give its hash: it was changed",
                );
            }
            if prev != self.previous {
                return err(
                    "prev_hash",
                    "the row does not follow the row before it: a row was left out, inserted or changed",
                );
            }
            self.previous = hash.clone();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::BundleScore;
    use std::borrow::Cow;

    fn signed(version: i64) -> BundleAssessment<'static> {
        let mut a = BundleAssessment {
            facility: "Solhøj".into(),
            year: 2016,
            model_id: "m".into(),
            model_hash: "h".into(),
            status: Status::Finalised,
            created_by: "demo".into(),
            created_at: "2016-03-01T10:00:00.000Z".into(),
            finalised_by: Some("Forstander".into()),
            finalised_at: Some("2016-11-15T14:00:00.000Z".into()),
            scores: vec![BundleScore {
                indicator: Cow::Borrowed("1a"),
                value: Some(3),
                not_relevant: false,
                reasoning: Cow::Borrowed("r"),
                sources: Cow::Borrowed("s"),
                by: Cow::Borrowed("demo"),
                at: Cow::Borrowed("2016-03-01T10:00:00.000Z"),
                carried_over: false,
            }],
            actions: Vec::new(),
            signoff_hash: None,
            signoff_version: Some(version),
        };
        a.signoff_hash = Some("x".into());
        let right = match check_signoff("f", 0, &a) {
            Err(Error::Definition { message, .. }) => message,
            other => panic!("{other:?}"),
        };
        assert!(right.contains("another hash"), "{right}");
        // the hash the encoding gives
        a.signoff_hash = Some(if version == 1 {
            crate::assessment::signoff_hash("h", [("1a", Some(3), false, "r", "s")])
        } else {
            signoff_v2(
                &SignedRecord {
                    year: 2016,
                    model_hash: "h",
                    signer: Some("Forstander"),
                    at: Some("2016-11-15T14:00:00.000Z"),
                },
                &[SignedScore {
                    indicator: "1a",
                    value: Some(3),
                    not_relevant: false,
                    reasoning: "r",
                    sources: "s",
                    by: "demo",
                    at: "2016-03-01T10:00:00.000Z",
                    carried_over: false,
                }],
            )
        });
        a
    }

    #[test]
    fn a_sign_off_is_checked_in_the_encoding_it_names() {
        for version in [1, 2] {
            let a = signed(version);
            assert!(check_signoff("f", 0, &a).is_ok(), "{version}");
            let mut changed = a.clone();
            changed.scores[0].value = Some(5);
            assert!(check_signoff("f", 0, &changed).is_err(), "{version}");
            // the other encoding does not fit it
            let mut other = a.clone();
            other.signoff_version = Some(3 - version);
            assert!(check_signoff("f", 0, &other).is_err(), "{version}");
        }
        // encoding 1 does not cover the signer; encoding 2 does
        let mut a = signed(1);
        a.finalised_by = Some("Forger".into());
        assert!(check_signoff("f", 0, &a).is_ok());
        let mut a = signed(2);
        a.finalised_by = Some("Forger".into());
        assert!(check_signoff("f", 0, &a).is_err());
        let mut a = signed(2);
        a.signoff_version = Some(9);
        assert!(check_signoff("f", 0, &a).is_err());
        a.signoff_version = None;
        assert!(check_signoff("f", 0, &a).is_err());
    }
}
