//! Tamper evidence, pure: the content hashes a sign-off records and the hash chain of the
//! audit log. Each audit row carries the hash of the row before it and its own hash over
//! that and its fields, so a row changed, inserted or deleted behind the program's back
//! (with the sqlite3 tool, say) no longer fits the chain. The chain is evidence, not a
//! signature: someone who recomputes every hash after an edit is not caught by it.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// SHA-256 over fields, each prefixed with its length, so that no two different field
/// lists hash alike ("ab","c" ≠ "a","bc"). Hex digest.
pub struct FieldHasher(Sha256);

impl Default for FieldHasher {
    fn default() -> Self {
        FieldHasher(Sha256::new())
    }
}

/// Where encoded fields go: the hash itself, or a buffer hashed later (`FieldBytes`).
trait FieldSink {
    fn put(&mut self, bytes: &[u8]);

    fn put_text(&mut self, t: &[u8]) {
        self.put(&(t.len() as u64).to_le_bytes());
        self.put(t);
    }

    fn put_opt(&mut self, t: Option<&[u8]>) {
        match t {
            Some(t) => self.put_text(t),
            None => self.put(&u64::MAX.to_le_bytes()),
        }
    }

    /// A number as its decimal text, formatted on the stack.
    fn put_number(&mut self, n: Option<i64>) {
        let mut buf = itoa::Buffer::new();
        self.put_opt(n.map(|n| buf.format(n).as_bytes()));
    }
}

impl FieldSink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl FieldSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl FieldHasher {
    pub fn text(&mut self, t: &str) -> &mut Self {
        self.0.put_text(t.as_bytes());
        self
    }

    /// An optional field: absent hashes apart from every text, the empty one included.
    pub fn opt(&mut self, t: Option<&str>) -> &mut Self {
        self.0.put_opt(t.map(str::as_bytes));
        self
    }

    pub fn number(&mut self, n: Option<i64>) -> &mut Self {
        self.0.put_number(n);
        self
    }

    /// Fields encoded before into a `FieldBytes`, as if each had been given here.
    fn encoded(&mut self, fields: &FieldBytes) -> &mut Self {
        self.0.update(&fields.0);
        self
    }

    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// Lower-case hex of a digest.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Fields encoded as `FieldHasher` encodes them, kept in a buffer that is reused: for a
/// hash whose first fields (a count) are known only after the rest was read.
#[derive(Debug, Default)]
pub struct FieldBytes(Vec<u8>);

/// A sign-off of encoding 2 fed one score at a time, in indicator order, without holding
/// the scores (`signoff_v2` gives the same hash from a list in any order). Reuse it with
/// `clear` for the next assessment.
#[derive(Debug, Default)]
pub struct SignoffV2Stream {
    scores: FieldBytes,
    count: i64,
    last: Vec<u8>,
    in_order: bool,
}

impl SignoffV2Stream {
    /// Starts over for another assessment (the buffers are kept).
    pub fn clear(&mut self) {
        self.scores.0.clear();
        self.count = 0;
        self.last.clear();
        self.in_order = true;
    }

    /// Adds the next score; the texts are the stored bytes as `signoff_v2` would see them.
    pub fn score(&mut self, s: &SignedScore<'_>) {
        if self.count > 0 && s.indicator.as_bytes() <= self.last.as_slice() {
            self.in_order = false;
        }
        self.last.clear();
        self.last.extend_from_slice(s.indicator.as_bytes());
        self.count += 1;
        let b = &mut self.scores.0;
        b.put_text(s.indicator.as_bytes());
        b.put_number(s.value);
        b.put_number(Some(s.not_relevant as i64));
        b.put_text(s.reasoning.as_bytes());
        b.put_text(s.sources.as_bytes());
        b.put_text(s.by.as_bytes());
        b.put_text(s.at.as_bytes());
        b.put_number(Some(s.carried_over as i64));
    }

    /// The hash, or `None` where the scores did not come in strictly ascending indicator
    /// order (the caller then hashes the list with `signoff_v2`).
    pub fn finish(&self, record: &SignedRecord<'_>) -> Option<String> {
        if !self.in_order && self.count > 1 {
            return None;
        }
        let mut h = FieldHasher::default();
        v2_head(&mut h, record, self.count);
        h.encoded(&self.scores);
        Some(h.finish())
    }
}

fn v2_head(h: &mut FieldHasher, record: &SignedRecord<'_>, count: i64) {
    h.text("tilsynsklar-signoff/2")
        .number(Some(record.year))
        .text(record.model_hash)
        .opt(record.signer)
        .opt(record.at)
        .number(Some(count));
}

/// The encoding of the sign-off hash a finalised assessment records
/// (`assessments.signoff_version`). Version 1 covered the model version and each score's
/// value and texts; version 2 covers the whole signed record. A hash is always checked in
/// the encoding it was written in: an old one is never recomputed in the new encoding,
/// which would launder a change made since.
pub const SIGNOFF_VERSION: i64 = 2;

/// What a sign-off of encoding 2 covers besides the scores. The facility is not in it:
/// facility numbers belong to one database, so the chain holds that link (the finalise
/// row names the facility, and `verify` compares it).
#[derive(Debug, Clone, Copy)]
pub struct SignedRecord<'a> {
    pub year: i64,
    pub model_hash: &'a str,
    pub signer: Option<&'a str>,
    pub at: Option<&'a str>,
}

/// One score as a sign-off of encoding 2 covers it.
#[derive(Debug, Clone, Copy)]
pub struct SignedScore<'a> {
    pub indicator: &'a str,
    pub value: Option<i64>,
    pub not_relevant: bool,
    pub reasoning: &'a str,
    pub sources: &'a str,
    pub by: &'a str,
    pub at: &'a str,
    pub carried_over: bool,
}

/// The sign-off hash of encoding 2: the record and every score with its texts, who and
/// when and whether it was carried over, in indicator order.
pub fn signoff_v2(record: &SignedRecord<'_>, scores: &[SignedScore<'_>]) -> String {
    let mut rows: Vec<&SignedScore<'_>> = scores.iter().collect();
    rows.sort_by(|a, b| a.indicator.cmp(b.indicator));
    let mut h = FieldHasher::default();
    v2_head(&mut h, record, rows.len() as i64);
    for s in rows {
        h.text(s.indicator)
            .number(s.value)
            .number(Some(s.not_relevant as i64))
            .text(s.reasoning)
            .text(s.sources)
            .text(s.by)
            .text(s.at)
            .number(Some(s.carried_over as i64));
    }
    h.finish()
}

/// One row of the audit log, as the chain sees it.
#[derive(Debug, Clone, Copy)]
pub struct AuditFields<'a> {
    pub id: i64,
    pub at: &'a str,
    pub by: &'a str,
    pub action: &'a str,
    pub facility_id: Option<i64>,
    pub assessment_id: Option<i64>,
    pub subject: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// The hash a row carries: over the previous row's hash and every field of its own.
pub fn link_hash(previous: &str, row: &AuditFields<'_>) -> String {
    let mut h = FieldHasher::default();
    h.text("tilsynsklar-audit/1")
        .text(previous)
        .number(Some(row.id))
        .text(row.at)
        .text(row.by)
        .text(row.action)
        .number(row.facility_id)
        .number(row.assessment_id)
        .opt(row.subject)
        .opt(row.old_value)
        .opt(row.new_value)
        .opt(row.reason);
    h.finish()
}

/// One audit row as a bundle carries it: by content (the facility's name, the
/// assessment's year, and which of a year's two by its creation time), never by this
/// database's numbers, so that its hash survives an import.
#[derive(Debug, Clone, Copy)]
pub struct PortableAudit<'a> {
    pub at: &'a str,
    pub by: &'a str,
    pub action: &'a str,
    pub facility: Option<&'a str>,
    pub year: Option<i64>,
    pub assessment_created: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// The hash a bundle's audit row carries: over the hash of the bundle's row before it
/// (empty for the first) and every field of its own. The bundle's rows form a chain of
/// their own, so a row changed, left out or inserted in the file breaks it.
pub fn portable_audit_hash(previous: &str, row: &PortableAudit<'_>) -> String {
    let mut h = FieldHasher::default();
    h.text("tilsynsklar-bundle-audit/1")
        .text(previous)
        .text(row.at)
        .text(row.by)
        .text(row.action)
        .opt(row.facility)
        .number(row.year)
        .opt(row.assessment_created)
        .opt(row.subject)
        .opt(row.old_value)
        .opt(row.new_value)
        .opt(row.reason);
    h.finish()
}

/// What is wrong with one audit row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreak {
    /// The row carries no hash: it was not written by the program.
    Unsealed,
    /// The row's fields no longer give the hash it carries: it was changed.
    Altered,
    /// The row does not name the hash of the row before it: a row before it was deleted,
    /// inserted or rewritten.
    Unlinked,
}

/// Walks the audit log in id order and names every row that does not fit the chain.
#[derive(Debug, Default)]
pub struct ChainVerifier {
    previous: String,
    // the buffer of the head before the row checked, reused from row to row
    scratch: String,
    pub rows: usize,
}

impl ChainVerifier {
    /// Checks the next row, given the hashes it carries.
    pub fn check(
        &mut self,
        row: &AuditFields<'_>,
        prev_hash: Option<&str>,
        hash: Option<&str>,
    ) -> Option<ChainBreak> {
        self.rows += 1;
        let Some(hash) = hash else {
            // an unsealed row does not move the head: the next genuine row links past it
            return Some(ChainBreak::Unsealed);
        };
        std::mem::swap(&mut self.previous, &mut self.scratch);
        let expected_previous = &self.scratch;
        self.previous.clear();
        self.previous.push_str(hash);
        let prev_hash = prev_hash.unwrap_or_default();
        if link_hash(prev_hash, row) != hash {
            Some(ChainBreak::Altered)
        } else if prev_hash != expected_previous.as_str() {
            Some(ChainBreak::Unlinked)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, new: &'static str) -> AuditFields<'static> {
        AuditFields {
            id,
            at: "2026-11-25T10:00:00.000Z",
            by: "mette",
            action: "score.set",
            facility_id: Some(1),
            assessment_id: Some(2),
            subject: Some("6a"),
            old_value: None,
            new_value: Some(new),
            reason: None,
        }
    }

    /// A chain of rows with the hashes the program would store.
    fn sealed(rows: &[AuditFields<'static>]) -> Vec<(AuditFields<'static>, String, String)> {
        let mut head = String::new();
        rows.iter()
            .map(|r| {
                let h = link_hash(&head, r);
                let out = (*r, head.clone(), h.clone());
                head = h;
                out
            })
            .collect()
    }

    fn verify(rows: &[(AuditFields<'_>, Option<&str>, Option<&str>)]) -> Vec<(i64, ChainBreak)> {
        let mut v = ChainVerifier::default();
        rows.iter()
            .filter_map(|(r, p, h)| v.check(r, *p, *h).map(|b| (r.id, b)))
            .collect()
    }

    #[test]
    fn fields_are_length_prefixed_and_absent_differs_from_empty() {
        let hash = |f: &dyn Fn(&mut FieldHasher)| {
            let mut h = FieldHasher::default();
            f(&mut h);
            h.finish()
        };
        assert_ne!(
            hash(&|h| {
                h.text("ab").text("c");
            }),
            hash(&|h| {
                h.text("a").text("bc");
            })
        );
        assert_ne!(
            hash(&|h| {
                h.opt(None);
            }),
            hash(&|h| {
                h.opt(Some(""));
            })
        );
        assert_eq!(
            hash(&|h| {
                h.text("x");
            })
            .len(),
            64
        );
    }

    #[test]
    fn numbers_hash_as_their_decimal_text_and_the_digest_is_lower_hex() {
        let hash = |f: &dyn Fn(&mut FieldHasher)| {
            let mut h = FieldHasher::default();
            f(&mut h);
            h.finish()
        };
        for n in [0, 7, -42, i64::MIN, i64::MAX] {
            let text = n.to_string();
            assert_eq!(
                hash(&|h| {
                    h.number(Some(n));
                }),
                hash(&|h| {
                    h.text(&text);
                })
            );
        }
        // the digest of the bytes fed, in the format the stored hashes have
        let mut plain = Sha256::new();
        plain.update(1u64.to_le_bytes());
        plain.update(b"x");
        let expected: String = plain
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hash(&|h| {
                h.text("x");
            }),
            expected
        );
    }

    #[test]
    fn the_streamed_v2_signoff_is_the_listed_one_and_refuses_another_order() {
        let record = SignedRecord {
            year: 2025,
            model_hash: "m",
            signer: Some("Leder"),
            at: None,
        };
        let mut scores = [score("1a"), score("1b"), score("2a")];
        scores[1].value = None;
        scores[1].not_relevant = true;
        scores[2].reasoning = "æøå";
        let mut stream = SignoffV2Stream::default();
        for round in 0..2 {
            stream.clear();
            for s in &scores {
                stream.score(s);
            }
            assert_eq!(
                stream.finish(&record),
                Some(signoff_v2(&record, &scores)),
                "round {round}"
            );
        }
        stream.clear();
        assert_eq!(stream.finish(&record), Some(signoff_v2(&record, &[])));
        stream.clear();
        stream.score(&scores[1]);
        stream.score(&scores[0]);
        assert_eq!(stream.finish(&record), None);
    }

    #[test]
    fn an_intact_chain_verifies() {
        let chain = sealed(&[row(1, "a"), row(2, "b"), row(3, "c")]);
        let rows: Vec<_> = chain
            .iter()
            .map(|(r, p, h)| (*r, Some(p.as_str()), Some(h.as_str())))
            .collect();
        assert_eq!(verify(&rows), []);
    }

    #[test]
    fn a_changed_field_names_that_row_only() {
        let chain = sealed(&[row(1, "a"), row(2, "b"), row(3, "c")]);
        let mut rows: Vec<_> = chain
            .iter()
            .map(|(r, p, h)| (*r, Some(p.as_str()), Some(h.as_str())))
            .collect();
        rows[1].0.new_value = Some("forged");
        assert_eq!(verify(&rows), [(2, ChainBreak::Altered)]);
        // so does any other field, the id included
        rows[1].0 = row(2, "b");
        rows[1].0.by = "someone else";
        assert_eq!(verify(&rows), [(2, ChainBreak::Altered)]);
        rows[1].0 = row(7, "b");
        assert_eq!(verify(&rows), [(7, ChainBreak::Altered)]);
    }

    #[test]
    fn a_deleted_row_breaks_the_link_of_the_next() {
        let chain = sealed(&[row(1, "a"), row(2, "b"), row(3, "c")]);
        let rows: Vec<_> = chain
            .iter()
            .filter(|(r, ..)| r.id != 2)
            .map(|(r, p, h)| (*r, Some(p.as_str()), Some(h.as_str())))
            .collect();
        assert_eq!(verify(&rows), [(3, ChainBreak::Unlinked)]);
    }

    #[test]
    fn a_row_inserted_by_hand_is_unsealed_and_the_chain_goes_on_past_it() {
        let chain = sealed(&[row(1, "a"), row(3, "c")]);
        let mut rows: Vec<_> = chain
            .iter()
            .map(|(r, p, h)| (*r, Some(p.as_str()), Some(h.as_str())))
            .collect();
        rows.insert(1, (row(2, "inserted"), None, None));
        assert_eq!(verify(&rows), [(2, ChainBreak::Unsealed)]);
    }

    #[test]
    fn a_rehashed_row_breaks_the_link_after_it() {
        let chain = sealed(&[row(1, "a"), row(2, "b"), row(3, "c")]);
        let forged = row(2, "forged");
        let forged_hash = link_hash(&chain[0].2, &forged);
        let rows = vec![
            (
                chain[0].0,
                Some(chain[0].1.as_str()),
                Some(chain[0].2.as_str()),
            ),
            (
                forged,
                Some(chain[1].1.as_str()),
                Some(forged_hash.as_str()),
            ),
            (
                chain[2].0,
                Some(chain[2].1.as_str()),
                Some(chain[2].2.as_str()),
            ),
        ];
        assert_eq!(verify(&rows), [(3, ChainBreak::Unlinked)]);
    }

    #[test]
    fn the_portable_audit_hash_covers_every_field_and_the_previous() {
        let row = PortableAudit {
            at: "2026-11-25T10:00:00.000Z",
            by: "mette",
            action: "score.set",
            facility: Some("Solhøj"),
            year: Some(2025),
            assessment_created: None,
            subject: Some("6a"),
            old_value: None,
            new_value: Some("x"),
            reason: None,
        };
        let base = portable_audit_hash("", &row);
        assert_ne!(portable_audit_hash("p", &row), base);
        let changes = [
            PortableAudit {
                by: "forger",
                ..row
            },
            PortableAudit {
                facility: Some("Other"),
                ..row
            },
            PortableAudit {
                year: Some(2024),
                ..row
            },
            PortableAudit {
                assessment_created: Some("t"),
                ..row
            },
            PortableAudit {
                new_value: Some("y"),
                ..row
            },
            PortableAudit {
                reason: Some(""),
                ..row
            },
        ];
        for c in &changes {
            assert_ne!(portable_audit_hash("", c), base, "{c:?}");
        }
    }

    fn score(indicator: &'static str) -> SignedScore<'static> {
        SignedScore {
            indicator,
            value: Some(3),
            not_relevant: false,
            reasoning: "r",
            sources: "s",
            by: "mette",
            at: "2026-11-25T10:00:00.000Z",
            carried_over: false,
        }
    }

    #[test]
    fn the_v2_signoff_covers_every_field_and_not_the_order() {
        let record = SignedRecord {
            year: 2025,
            model_hash: "m",
            signer: Some("Leder"),
            at: Some("2026-11-25T12:00:00.000Z"),
        };
        let scores = [score("1a"), score("1b")];
        let base = signoff_v2(&record, &scores);
        assert_eq!(base, signoff_v2(&record, &[score("1b"), score("1a")]));
        let records = [
            SignedRecord {
                year: 2024,
                ..record
            },
            SignedRecord {
                model_hash: "n",
                ..record
            },
            SignedRecord {
                signer: Some("Forger"),
                ..record
            },
            SignedRecord {
                signer: None,
                ..record
            },
            SignedRecord {
                at: Some("2026-11-26T12:00:00.000Z"),
                ..record
            },
        ];
        for r in &records {
            assert_ne!(signoff_v2(r, &scores), base, "{r:?}");
        }
        let changes: [fn(&mut SignedScore<'static>); 7] = [
            |s| s.value = Some(1),
            |s| s.not_relevant = true,
            |s| s.reasoning = "forged",
            |s| s.sources = "x",
            |s| s.by = "forger",
            |s| s.at = "2026-11-25T10:00:01.000Z",
            |s| s.carried_over = true,
        ];
        for change in changes {
            let mut changed = scores;
            change(&mut changed[1]);
            assert_ne!(signoff_v2(&record, &changed), base);
        }
        assert_ne!(signoff_v2(&record, &scores[..1]), base);
    }
}
