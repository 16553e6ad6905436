use super::*;
use crate::assessment::Status;
use crate::exchange::{BundleScore, BundleWriter};
use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

/// A reader over bytes in hand that gives at most `step` bytes a read, and counts what
/// it gave and the largest read asked of it.
struct Counting<'a> {
    bytes: &'a [u8],
    step: usize,
    given: Rc<Cell<usize>>,
    largest_ask: Rc<Cell<usize>>,
}

impl Read for Counting<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.largest_ask.set(self.largest_ask.get().max(out.len()));
        let at = self.given.get();
        let n = out.len().min(self.step).min(self.bytes.len() - at);
        out[..n].copy_from_slice(&self.bytes[at..at + n]);
        self.given.set(at + n);
        Ok(n)
    }
}

fn counting(bytes: &[u8], step: usize) -> (Counting<'_>, Rc<Cell<usize>>, Rc<Cell<usize>>) {
    let (given, largest_ask) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let r = Counting {
        bytes,
        step,
        given: given.clone(),
        largest_ask: largest_ask.clone(),
    };
    (r, given, largest_ask)
}

fn assessment(n: usize) -> BundleAssessment<'static> {
    BundleAssessment {
        facility: format!("Bøgehuset {n}"),
        year: 2000 + (n % 100) as i32,
        model_id: "m".into(),
        model_hash: "h".into(),
        status: Status::Draft,
        created_by: "tester".into(),
        created_at: "2025-01-01T00:00:00Z".into(),
        finalised_by: None,
        finalised_at: None,
        scores: (0..20)
            .map(|k| BundleScore {
                indicator: Cow::Owned(format!("{k}a")),
                value: Some(3),
                not_relevant: false,
                reasoning: Cow::Owned(format!("Begrundelse \"{n}\" med æøå\n{}", "x".repeat(200))),
                sources: Cow::Borrowed("Journal"),
                by: Cow::Borrowed("tester"),
                at: Cow::Borrowed("2025-01-01T00:00:00Z"),
                carried_over: false,
            })
            .collect(),
        actions: Vec::new(),
        signoff_hash: None,
        signoff_version: None,
    }
}

/// A bundle of `n` assessments and as many audit rows, and where each assessment ends.
fn bundle(n: usize) -> (Vec<u8>, Vec<usize>) {
    let mut w =
        BundleWriter::start(Vec::new(), "2025-01-01T00:00:00Z", "tester", &[], &[]).unwrap();
    for k in 0..n {
        w.assessment(&assessment(k)).unwrap();
    }
    for k in 0..n {
        w.audit(&BundleAudit {
            at: "2025-01-01T00:00:00Z".into(),
            by: "tester".into(),
            action: format!("action.{k}"),
            facility: None,
            year: None,
            subject: None,
            old_value: None,
            new_value: None,
            reason: None,
            assessment_created: None,
            prev_hash: None,
            hash: None,
        })
        .unwrap();
    }
    let bytes = w.finish().unwrap();
    // each assessment is a line of its own: it ends where the next line starts
    let text = std::str::from_utf8(&bytes).unwrap();
    let mut ends: Vec<usize> = text
        .match_indices("\n{\"facility\"")
        .skip(1)
        .map(|(i, _)| i)
        .collect();
    ends.push(text.find("\"audit_log\"").unwrap());
    assert_eq!(ends.len(), n);
    (bytes, ends)
}

#[test]
fn the_reader_hands_over_each_assessment_when_little_more_than_it_is_read() {
    let n = 400;
    let (bytes, ends) = bundle(n);
    assert!(bytes.len() > 40 * BUFFER, "{} bytes", bytes.len());
    let (r, given, largest_ask) = counting(&bytes, usize::MAX);
    let seen = Cell::new(0usize);
    let audit = Cell::new(0usize);
    let sink = |p: Part| {
        match p {
            Part::Assessment(a, _) => {
                let k = seen.get();
                assert_eq!(*a, assessment(k), "assessment {k}");
                // what was read is the assessment and at most the two buffers ahead
                assert!(
                    given.get() <= ends[k] + 2 * BUFFER,
                    "assessment {k} (ends at {}) handed over after {} bytes of {}",
                    ends[k],
                    given.get(),
                    bytes.len()
                );
                seen.set(k + 1);
            }
            Part::Audit(rows) => {
                assert!(rows.len() <= AUDIT_CHUNK);
                for (i, r) in (audit.get()..).zip(&rows) {
                    assert_eq!(r.action, format!("action.{i}"));
                }
                audit.set(audit.get() + rows.len());
            }
            _ => {}
        }
        true
    };
    read_parts(r, &sink).unwrap();
    assert_eq!((seen.get(), audit.get()), (n, n));
    assert_eq!(given.get(), bytes.len());
    assert!(largest_ask.get() <= BUFFER, "{}", largest_ask.get());
}

#[test]
fn the_reader_stops_when_the_writer_is_gone() {
    let (bytes, _) = bundle(50);
    let (r, given, _) = counting(&bytes, usize::MAX);
    let taken = Cell::new(0);
    let sink = |p: Part| {
        if matches!(p, Part::Assessment(..)) {
            taken.set(taken.get() + 1);
        }
        taken.get() < 3
    };
    let e = read_parts(r, &sink).unwrap_err();
    assert!(e.to_string().contains("the import stopped"), "{e}");
    assert_eq!(taken.get(), 3);
    assert!(
        given.get() < bytes.len(),
        "read to the end: {}",
        given.get()
    );
}

#[test]
fn utf8_is_checked_across_reads_that_cut_a_character() {
    let text = "æøå – “quoted” 🙂 end".repeat(50);
    for step in [1, 2, 3, 5, 7, 64] {
        for capacity in [4, 5, 9, 100] {
            let (r, _, _) = counting(text.as_bytes(), step);
            let mut back = String::new();
            Utf8Check::with_capacity(r, capacity)
                .read_to_string(&mut back)
                .unwrap();
            assert_eq!(back, text, "step {step}, capacity {capacity}");
        }
    }
}

#[test]
fn a_byte_that_is_not_utf8_fails_the_read_at_its_offset() {
    let good = "{\"a\": \"æ\"}";
    for (bytes, at) in [
        ([good.as_bytes(), b"\xe6\xf8"].concat(), good.len()),
        ([b"ab".as_slice(), b"\xff", good.as_bytes()].concat(), 2),
        // a character the end of the file cuts
        (
            [good.as_bytes(), "ø".as_bytes()[..1].as_ref()].concat(),
            good.len(),
        ),
    ] {
        for step in [1, 3, 1000] {
            let (r, _, _) = counting(&bytes, step);
            let mut check = Utf8Check::with_capacity(r, 6);
            let mut back = Vec::new();
            let e = check.read_to_end(&mut back).unwrap_err();
            // everything before the byte was handed on, nothing after it
            assert_eq!(back, &bytes[..at], "step {step}");
            let inner = e.get_ref().and_then(|i| i.downcast_ref::<NotUtf8>());
            assert_eq!(inner.map(|n| n.byte), Some(at as u64), "{e}");
        }
    }
}

#[test]
fn serde_json_passes_the_byte_on() {
    let (r, _, _) = counting(b"{\"format\": \"x\xe6\"}", 1000);
    let e = read_parts(r, &|_| true).unwrap_err();
    assert!(e.is_io(), "{e}");
    assert_eq!(NotUtf8::in_error(e).ok(), Some(13));
}

#[test]
fn an_error_is_found_again_with_its_json_path() {
    let (bytes, _) = bundle(5);
    let text = String::from_utf8(bytes).unwrap();
    // the fourth assessment's second score has a text for a value
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let fourth = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("{\"facility\""))
        .nth(3)
        .unwrap()
        .0;
    let second = lines[fourth].match_indices("\"value\":3").nth(1).unwrap().0;
    lines[fourth].replace_range(second..second + 9, "\"value\":\"3\"");
    let broken = lines.join("\n");
    let (r, _, _) = counting(broken.as_bytes(), 4096);
    assert!(read_parts(r, &|_| true).is_err());
    let (r, _, _) = counting(broken.as_bytes(), 4096);
    let (path, e) = locate_error(r).unwrap();
    assert_eq!(path, "assessments[3].scores[1].value");
    assert!(e.to_string().starts_with("invalid type: string"), "{e}");
    let (r, _, _) = counting(text.as_bytes(), 4096);
    assert!(locate_error(r).is_none());
    // the head's fields are checked as serde's derive would
    let (r, _, _) = counting(b"{\"format\": \"x\", \"extra\": 1}", 4096);
    let (path, e) = locate_error(r).unwrap();
    assert_eq!(path, ".");
    assert!(e.to_string().starts_with("unknown field `extra`"), "{e}");
}
