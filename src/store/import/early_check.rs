//! The checks the reading thread can do before the writer needs them: once it has read
//! the bundle's models and facilities, it checks each assessment as it is read
//! (`check_assessment`, the largest part of the writing thread's work that is not
//! SQLite's) and hands the verdict over with it. The writer raises a failed verdict when
//! it comes to that assessment, so the import fails at the same place, with the same
//! error, as when the writer checked it itself; an assessment read before the models and
//! facilities comes without a verdict and the writer checks it.
//!
//! The reading thread also drops the assessments the writer has merged (they come back
//! over `spent`): freeing memory on the thread that allocated it spares the writer the
//! allocator's work and its lock.

use crate::assessment::PersonalDataPolicy;
use crate::exchange::{ModelsByHash, check_assessment, check_facilities, check_models};
use crate::model::QualityModel;
use crate::store::import_read::Part;
use std::rc::Rc;
use std::sync::mpsc::Receiver;

/// The reading thread's verdict on an assessment, where it gave one.
pub(in crate::store) type Checked = crate::store::import_read::Checked;

/// An assessment the writer is done with, on its way back to be dropped.
pub(in crate::store) type Spent = Box<crate::exchange::BundleAssessment<'static>>;

/// The reading thread's side: what it knows of the bundle so far.
pub(in crate::store) struct EarlyCheck<'f> {
    file: &'f str,
    /// The model versions the database holds (copies, made on this thread).
    known: ModelsByHash,
    /// The database's personal-data policy, as the writer read it in its transaction.
    policy_from_writer: Receiver<PersonalDataPolicy>,
    policy: Option<Option<PersonalDataPolicy>>,
    /// The models the assessments may use and the facilities' names, once read (`None`
    /// where they did not pass: the writer reports that).
    usable: Option<ModelsByHash>,
    names: Option<Vec<String>>,
    /// How many assessments have been read.
    read: usize,
    spent: Receiver<Spent>,
}

/// The stored model versions, as the reading thread can take them.
pub(in crate::store) fn sendable(known: &ModelsByHash) -> Vec<(String, QualityModel)> {
    known
        .iter()
        .map(|(h, m)| (h.clone(), QualityModel::clone(m)))
        .collect()
}

impl<'f> EarlyCheck<'f> {
    pub(in crate::store) fn new(
        file: &'f str,
        known: Vec<(String, QualityModel)>,
        policy_from_writer: Receiver<PersonalDataPolicy>,
        spent: Receiver<Spent>,
    ) -> Self {
        EarlyCheck {
            file,
            known: known.into_iter().map(|(h, m)| (h, Rc::new(m))).collect(),
            policy_from_writer,
            policy: None,
            usable: None,
            names: None,
            read: 0,
            spent,
        }
    }

    /// Looks at a part before it is handed over: notes the models and facilities, and
    /// gives an assessment its verdict where it can.
    pub(in crate::store) fn see(&mut self, part: &mut Part) {
        while let Ok(done) = self.spent.try_recv() {
            drop(done);
        }
        let known = &self.known;
        let stored = |h: &str| known.get(h).cloned();
        match part {
            Part::Models(m) => self.usable = check_models(self.file, m, &stored).ok(),
            Part::Facilities(f) => self.names = check_facilities(self.file, f).ok(),
            Part::Assessment(a, checked) => {
                let i = self.read;
                self.read += 1;
                let policy = *self
                    .policy
                    .get_or_insert_with(|| self.policy_from_writer.recv().ok());
                if let (Some(usable), Some(names), Some(policy)) =
                    (&self.usable, &self.names, policy)
                {
                    *checked = Some(check_assessment(
                        self.file, i, a, names, usable, &stored, policy,
                    ));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Stamp, Store};

    /// The verdict `early` gives an assessment read next.
    fn verdict(
        early: &mut EarlyCheck<'_>,
        a: &crate::exchange::BundleAssessment<'static>,
    ) -> Option<std::result::Result<(), String>> {
        let mut part = Part::Assessment(Box::new(a.clone()), None);
        early.see(&mut part);
        match part {
            Part::Assessment(_, checked) => checked.map(|r| r.map_err(|e| e.to_string())),
            _ => unreachable!("an assessment stays one"),
        }
    }

    #[test]
    fn the_reader_checks_each_assessment_once_it_has_the_models_and_facilities() {
        let stamp = Stamp {
            by: "test".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        let mut store = Store::open_in_memory(&stamp).unwrap();
        let spec = crate::demo::DemoSpec {
            facilities: 2,
            years: 2,
            from_year: 2020,
            seed: 1,
        };
        crate::demo::generate(&mut store, &spec, "demo").unwrap();
        let list = store.assessments(None).unwrap();
        let known: ModelsByHash = list
            .iter()
            .map(|a| {
                (
                    a.model_hash.clone(),
                    store.model_by_hash(&a.model_hash).unwrap(),
                )
            })
            .collect();
        let good = store.bundle_assessment(&list[0]).unwrap();
        let mut bad = good.clone();
        bad.year = 1000;
        let (policy, policy_in) = std::sync::mpsc::sync_channel(1);
        policy.send(PersonalDataPolicy::default()).unwrap();
        let (_give_back, spent) = std::sync::mpsc::channel();
        let mut early = EarlyCheck::new("b.json", sendable(&known), policy_in, spent);
        // before the models and facilities: no verdict, the writer checks it
        assert_eq!(verdict(&mut early, &bad), None);
        let models = store.bundle_models(&list).unwrap();
        let facilities = store.bundle_facilities(&store.facilities(true).unwrap());
        early.see(&mut Part::Models(models));
        early.see(&mut Part::Facilities(facilities));
        assert_eq!(verdict(&mut early, &good), Some(Ok(())));
        // the third assessment read, as the writer's own check would name it
        let e = verdict(&mut early, &bad).unwrap().unwrap_err();
        assert!(e.contains("assessments[2].year"), "{e}");
    }
}
