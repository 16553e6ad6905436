//! The suite's reads: `Listings` and `Exchange` on a sample written through SQLite's own
//! writes (`sample`), which a backend either is (SQLite) or holds a copy of, row for row
//! (PostgreSQL: `store/pg/tests_reads.rs`). The same functions run on both; `dump` is
//! every read's output as text, which must be the same on both backends.

use super::stamp;
use crate::assessment::{NewAction, ScoreInput, ScoreValue, Status};
use crate::error::Error;
use crate::integrity::portable_audit_hash;
use crate::store::backend::{Exchange, Facilities, Listings};
use crate::store::{
    AssessmentRecord, CompareFilter, NewFacility, Selection, Store, StoredText, TextScope,
};

/// The numbers of the sample's rows.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    /// Åhuset, Bakkely, Cedergården (archived).
    pub facilities: [i64; 3],
    /// Åhuset 2016 (the 2014 model), 2025 (finalised), 2026 (rolled forward).
    pub ahuset: [i64; 3],
    /// Bakkely 2026, its double (no scores), its safety self-evaluation.
    pub bakkely: [i64; 3],
    /// Cedergården 2025, finalised and reopened.
    pub cedergarden: i64,
}

fn input(id: &str, value: ScoreValue) -> ScoreInput {
    ScoreInput {
        indicator_id: id.into(),
        value,
        reasoning: Some(format!("Begrundelse for {id}; 'citat'")),
        sources: Some("Tilsynsrapport".into()),
    }
}

/// Scores every indicator of an assessment not scored yet (so it may be finalised).
fn score_all(s: &mut Store, assessment: i64, model: &crate::model::QualityModel) {
    let done: Vec<String> = s
        .scores(assessment)
        .unwrap()
        .into_iter()
        .map(|x| x.indicator_id)
        .collect();
    for (i, r) in model.indicators().enumerate() {
        if !done.contains(&r.indicator.id) {
            let v = ScoreValue::Scored(1 + (i % 5) as u8);
            s.set_score(assessment, &input(&r.indicator.id, v), &stamp())
                .unwrap();
        }
    }
}

/// A small region written through SQLite's writes: three facilities (one archived), two
/// model versions and the safety framework, a finalised, a reopened and a rolled-forward
/// assessment, actions, a double of a facility and year without scores.
pub(crate) fn sample() -> (Store, Sample) {
    let mut s = Store::open_in_memory(&stamp()).unwrap();
    let facility = |s: &mut Store, name: &str, org: &str, tags: &[&str]| {
        let new = NewFacility {
            name: name.into(),
            organisation: org.into(),
            location: "Aarhus".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        };
        s.add_facility(&new, &stamp()).unwrap()
    };
    let a = facility(&mut s, "Åhuset", "Region Midt", &["children", "board"]);
    let b = facility(&mut s, "Bakkely", "region syd", &[]);
    let c = facility(&mut s, "Cedergården", "Region Midt", &["board"]);
    let (m2014, m2017) = (
        s.model_for_year(2016).unwrap(),
        s.model_for_year(2025).unwrap(),
    );
    let safety = s.framework_model_for_year(2026, "sikkerhed").unwrap();
    let st = stamp();
    let a16 = s.start_assessment(&a, 2016, &m2014, false, &st).unwrap().id;
    let first = m2014.indicators().next().unwrap().indicator.id.clone();
    s.set_score(a16, &input(&first, ScoreValue::Scored(2)), &st)
        .unwrap();
    let a25 = s.start_assessment(&a, 2025, &m2017, false, &st).unwrap().id;
    score_all(&mut s, a25, &m2017);
    let ids: Vec<String> = m2017.indicators().map(|r| r.indicator.id.clone()).collect();
    let action = NewAction {
        text: "Mere struktur på dagen".into(),
        indicators: vec![ids[1].clone(), ids[0].clone()],
        action_plan: None,
        owner: "Leder".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
    };
    s.add_action(a25, &action, &st).unwrap();
    s.finalise(a25, "Mette Leder", &st).unwrap();
    let a26 = s.start_assessment(&a, 2026, &m2017, true, &st).unwrap().id;
    s.set_score(a26, &input(&ids[2], ScoreValue::Scored(4)), &st)
        .unwrap();
    let b26 = s.start_assessment(&b, 2026, &m2017, false, &st).unwrap().id;
    s.set_score(b26, &input(&ids[0], ScoreValue::NotRelevant), &st)
        .unwrap();
    s.set_score(b26, &input(&ids[3], ScoreValue::Scored(5)), &st)
        .unwrap();
    let plain = NewAction {
        text: "Kursus i pædagogik".into(),
        indicators: vec![ids[3].clone()],
        action_plan: None,
        owner: String::new(),
        due: None,
    };
    s.add_action(b26, &plain, &st).unwrap();
    let safe = s
        .start_assessment(&b, 2026, &safety, false, &st)
        .unwrap()
        .id;
    let one = safety.indicators().next().unwrap().indicator.id.clone();
    s.set_score(safe, &input(&one, ScoreValue::Scored(3)), &st)
        .unwrap();
    // a double of Bakkely 2026 (as `import --keep-both` leaves one), without scores
    s.conn
        .execute(
            "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
             SELECT facility_id, year, model_id, model_hash, 'import', '2026-02-01T10:00:00.000Z'
             FROM assessments WHERE id = ?1",
            [b26],
        )
        .unwrap();
    let double = s.conn.last_insert_rowid();
    let c25 = s.start_assessment(&c, 2025, &m2017, false, &st).unwrap().id;
    score_all(&mut s, c25, &m2017);
    s.finalise(c25, "Jens Leder", &st).unwrap();
    s.reopen(c25, "Tilsynet bad om en rettelse", &st).unwrap();
    s.set_score(c25, &input(&ids[0], ScoreValue::Scored(1)), &st)
        .unwrap();
    s.archive_facility("Cedergården", &st).unwrap();
    let sample = Sample {
        facilities: [a.id, b.id, c.id],
        ahuset: [a16, a25, a26],
        bakkely: [b26, double, safe],
        cedergarden: c25,
    };
    (s, sample)
}

fn ids(list: &[AssessmentRecord]) -> Vec<i64> {
    list.iter().map(|a| a.id).collect()
}

/// The keys, the home list and the doubles: by facility, year and number; a double is two
/// assessments of one framework, facility and year, within the filter.
pub(crate) fn keys_briefs_and_doubles_read_as_stored<B: Listings + ?Sized>(b: &B, s: &Sample) {
    let [a16, a25, a26] = s.ahuset;
    let [b26, double, safe] = s.bakkely;
    let keys = b.assessment_keys().unwrap();
    let order: Vec<i64> = keys.iter().map(|k| k.id).collect();
    assert_eq!(order, [a16, a25, a26, b26, safe, double, s.cedergarden]);
    let safety = keys.iter().find(|k| k.id == safe).unwrap();
    assert_eq!(safety.framework, "sikkerhed");
    assert_eq!(keys[1].status, Status::Finalised);
    assert_eq!(keys[0].framework, "socialtilsyn");
    let of_b: Vec<i64> = b
        .assessment_keys_of(s.facilities[1])
        .unwrap()
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(of_b, [b26, safe, double]);
    assert!(b.assessment_keys_of(9999).unwrap().is_empty());
    let mut briefs = b.assessment_briefs().unwrap();
    briefs.sort_by_key(|x| x.id);
    assert_eq!(briefs.len(), 7);
    let brief = briefs.iter().find(|x| x.id == a16).unwrap();
    assert_eq!(&*brief.model_id, "socialtilsyn-2014");
    assert_eq!(
        (brief.facility_id, brief.year, brief.status),
        (s.facilities[0], 2016, Status::Draft)
    );
    let doubles = |filter: &CompareFilter| -> Vec<i64> {
        b.double_keys_where(filter)
            .unwrap()
            .iter()
            .map(|k| k.id)
            .collect()
    };
    assert_eq!(doubles(&CompareFilter::default()), [b26, double]);
    let org = CompareFilter {
        organisation: Some(" REGION SYD ".into()),
        years: Some((2026, 2026)),
        ..Default::default()
    };
    assert_eq!(doubles(&org), [b26, double]);
    let other = CompareFilter {
        facilities: Some(vec![s.facilities[0]]),
        ..Default::default()
    };
    assert!(doubles(&other).is_empty());
    let safety = CompareFilter {
        framework: Some("sikkerhed".into()),
        ..Default::default()
    };
    assert!(doubles(&safety).is_empty());
    assert!(!b.is_demo().unwrap());
}

/// A comparison: its frame and the versions it maps from, and the assessments streamed
/// oldest year first with their scores, one without scores empty in its place.
pub(crate) fn a_comparison_streams_oldest_year_first<B: Listings + ?Sized>(b: &B, s: &Sample) {
    let [a16, a25, a26] = s.ahuset;
    let [b26, double, _] = s.bakkely;
    let seen = |filter: &CompareFilter| {
        let mut out = Vec::new();
        b.for_each_assessment_scores(filter, &mut |a| {
            out.push(a.clone());
            Ok(())
        })
        .unwrap();
        out
    };
    let all = seen(&CompareFilter::default());
    let order: Vec<i64> = all.iter().map(|a| a.assessment_id).collect();
    assert_eq!(order, [a16, a25, s.cedergarden, a26, b26, double]);
    assert_eq!(all[0].model_id, "socialtilsyn-2014");
    assert_eq!(all[0].values.len(), 1);
    assert!(all[5].values.is_empty());
    assert_eq!(all[4].facility, "Bakkely");
    assert_eq!(all[4].organisation, "region syd");
    assert!(
        all[4]
            .values
            .contains(&(all[4].values[0].0.clone(), all[4].values[0].1))
    );
    assert!(
        all[4]
            .values
            .iter()
            .any(|(_, v)| *v == ScoreValue::NotRelevant)
    );
    assert!(
        all[4]
            .values
            .iter()
            .any(|(_, v)| *v == ScoreValue::Scored(5))
    );
    // the values in the indicators' byte order, as the scores' key has them
    let names: Vec<&String> = all[1].values.iter().map(|(i, _)| i).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let year = CompareFilter {
        years: Some((2026, 2026)),
        facilities: Some(vec![s.facilities[0], s.facilities[1]]),
        ..Default::default()
    };
    let order: Vec<i64> = seen(&year).iter().map(|a| a.assessment_id).collect();
    assert_eq!(order, [a26, b26, double]);
    let m = b.compare_frame(&CompareFilter::default(), None).unwrap();
    assert_eq!(m.frame.id, "socialtilsyn-2017");
    let others: Vec<(&str, bool)> = m
        .others
        .iter()
        .map(|(o, map)| (o.id.as_str(), map.is_some()))
        .collect();
    assert_eq!(others, [("socialtilsyn-2014", true)]);
    let recent = CompareFilter {
        years: Some((2025, 2026)),
        ..Default::default()
    };
    assert!(b.compare_frame(&recent, None).unwrap().others.is_empty());
    assert!(matches!(
        b.compare_frame(&recent, Some("sikkerhed-2017")),
        Err(Error::WrongFramework { .. })
    ));
    assert!(matches!(
        b.compare_frame(&recent, Some("ukendt")),
        Err(Error::UnknownModel(_))
    ));
    let any = b.compare_frame_any(None, "socialtilsyn").unwrap();
    assert_eq!(any.frame.id, "socialtilsyn-2017");
    assert_eq!(any.others.len(), 1);
    let safe = b.compare_frame_any(None, "sikkerhed").unwrap();
    assert_eq!(
        (safe.frame.id.as_str(), safe.others.len()),
        ("sikkerhed-2017", 0)
    );
}

/// A selection: its facilities and assessments, oldest year first within a facility; a
/// selection of nothing is refused.
pub(crate) fn a_selection_takes_its_facilities_and_assessments<
    B: Facilities + Exchange + ?Sized,
>(
    b: &B,
    s: &Sample,
) {
    let [a16, a25, a26] = s.ahuset;
    let [b26, double, safe] = s.bakkely;
    let (facilities, all) = b.select(&Selection::All).unwrap();
    let names: Vec<&str> = facilities.iter().map(|f| f.name.as_str()).collect();
    // by the name's bytes (Å after the ASCII letters), the archived one too
    assert_eq!(names, ["Bakkely", "Cedergården", "Åhuset"]);
    assert_eq!(ids(&all), [b26, safe, double, s.cedergarden, a16, a25, a26]);
    assert!(all.iter().all(|a| a.done == 0));
    let (f, list) = b
        .select(&Selection::Facility("bakkely".into(), Some(2026)))
        .unwrap();
    assert_eq!((f.len(), ids(&list)), (1, vec![b26, safe, double]));
    assert!(matches!(
        b.select(&Selection::Facility("Bakkely".into(), Some(2020))),
        Err(Error::UnknownAssessment(_))
    ));
    let (f, list) = b.select(&Selection::Year(2025)).unwrap();
    let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        (names, ids(&list)),
        (vec!["Cedergården", "Åhuset"], vec![s.cedergarden, a25])
    );
    assert!(matches!(
        b.select(&Selection::Year(1999)),
        Err(Error::UnknownAssessment(_))
    ));
    let (f, list) = b.select(&Selection::Assessment(a25)).unwrap();
    assert_eq!(f[0].name, "Åhuset");
    assert_eq!(list[0].finalised_by.as_deref(), Some("Mette Leder"));
    assert!(list[0].done > 10, "{}", list[0].done);
    assert!(matches!(
        b.select(&Selection::Assessment(9999)),
        Err(Error::UnknownAssessment(_))
    ));
    let (f, list) = b
        .select(&Selection::Assessments(vec![a26, b26, 9999]))
        .unwrap();
    assert_eq!((f.len(), ids(&list)), (2, vec![b26, a26]));
    assert!(b.select(&Selection::Assessments(vec![9999])).is_err());
}

/// A bundle's parts: an assessment's scores by indicator, actions, sign-off; the models;
/// the audit rows of the selection only, sealed into the bundle's own chain.
pub(crate) fn a_bundle_reads_its_parts_and_seals_the_audit_rows<
    B: Facilities + Exchange + ?Sized,
>(
    b: &B,
    s: &Sample,
) {
    let [a16, a25, a26] = s.ahuset;
    let (_, all) = b.select(&Selection::All).unwrap();
    let record = |id: i64| all.iter().find(|a| a.id == id).unwrap();
    let signed = b.bundle_assessment(record(a25)).unwrap();
    assert_eq!(signed.status, Status::Finalised);
    assert!(signed.signoff_hash.is_some());
    assert_eq!(
        signed.signoff_version,
        Some(crate::integrity::SIGNOFF_VERSION)
    );
    let indicators: Vec<&str> = signed.scores.iter().map(|x| &*x.indicator).collect();
    let mut sorted = indicators.clone();
    sorted.sort();
    assert_eq!(indicators, sorted);
    assert!(signed.scores.iter().all(|x| x.at.ends_with('Z')));
    assert_eq!(signed.actions.len(), 1);
    let mut named = signed.actions[0].indicators.clone();
    named.sort();
    assert_eq!(signed.actions[0].indicators, named);
    assert_eq!(signed.actions[0].due.as_deref(), Some("2026-03-01"));
    let rolled = b.bundle_assessment(record(a26)).unwrap();
    assert!(rolled.signoff_hash.is_none());
    assert!(rolled.scores.iter().any(|x| x.carried_over));
    assert!(rolled.scores.iter().any(|x| !x.carried_over));
    let reopened = b.bundle_assessment(record(s.cedergarden)).unwrap();
    assert_eq!(
        (reopened.status, reopened.signoff_hash),
        (Status::Draft, None)
    );
    let models = b.bundle_models(&all).unwrap();
    let ids: Vec<&str> = models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(models.len(), 3, "{ids:?}");
    assert!(models.iter().all(|m| m.bundled && m.model.is_none()));
    let mut hashes: Vec<&str> = models.iter().map(|m| m.hash.as_str()).collect();
    hashes.sort();
    assert_eq!(
        hashes,
        models.iter().map(|m| m.hash.as_str()).collect::<Vec<_>>()
    );
    // Åhuset's rows, not another facility's; the facility's own rows too
    let (facilities, list) = b
        .select(&Selection::Facility("Åhuset".into(), None))
        .unwrap();
    let mut rows = Vec::new();
    b.for_each_audit_row(&facilities, &list, &mut |r| {
        rows.push(r);
        Ok(())
    })
    .unwrap();
    assert!(rows.iter().all(|r| r.facility.as_deref() == Some("Åhuset")));
    assert_eq!(rows[0].action, "facility.add");
    assert!(rows.iter().any(|r| r.year == Some(2016)));
    assert!(rows.iter().any(|r| r.action == "assessment.finalise"));
    let mut previous = String::new();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.prev_hash.is_none(), i == 0);
        assert_eq!(r.prev_hash.as_deref().unwrap_or_default(), previous);
        let hash = portable_audit_hash(&previous, &r.portable());
        assert_eq!(r.hash.as_deref(), Some(hash.as_str()));
        previous = hash;
    }
    // the double's rows say which assessment of the year they are about
    let (facilities, list) = b
        .select(&Selection::Facility("Bakkely".into(), None))
        .unwrap();
    let mut created = Vec::new();
    b.for_each_audit_row(&facilities, &list, &mut |r| {
        if r.year == Some(2026) {
            created.push(r.assessment_created.is_some());
        }
        Ok(())
    })
    .unwrap();
    assert!(!created.is_empty() && created.iter().all(|c| *c));
    let _ = a16;
}

/// The exports' streams: every assessment in number order with its scores, actions and
/// texts, one without scores empty in its place; a selection's agree with the whole's.
pub(crate) fn the_export_streams_agree_with_the_bundle<B: Facilities + Exchange + ?Sized>(
    b: &B,
    s: &Sample,
) {
    let [_, a25, _] = s.ahuset;
    let [b26, double, _] = s.bakkely;
    let mut whole = Vec::new();
    b.for_each_selected_scores(&Selection::All, &mut |a, scores, actions| {
        whole.push((a.id, scores.to_vec(), actions.len()));
        Ok(())
    })
    .unwrap();
    let order: Vec<i64> = whole.iter().map(|w| w.0).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!((order.len(), &order), (7, &sorted));
    let of = |id: i64| whole.iter().find(|w| w.0 == id).unwrap();
    assert!(of(double).1.is_empty());
    assert_eq!(of(b26).2, 1);
    let (_, list) = b.select(&Selection::Assessment(a25)).unwrap();
    let bundle = b.bundle_assessment(&list[0]).unwrap();
    let streamed: Vec<(String, Option<u8>)> = of(a25)
        .1
        .iter()
        .map(|x| (x.indicator_id.clone(), x.value.value()))
        .collect();
    let bundled: Vec<(String, Option<u8>)> = bundle
        .scores
        .iter()
        .map(|x| (x.indicator.to_string(), x.value.map(|v| v as u8)))
        .collect();
    assert_eq!(streamed, bundled);
    let texts = |sel: &Selection| {
        let mut out = Vec::new();
        b.for_each_selected_texts(sel, &mut |a, t| {
            let t: Vec<(String, String, bool)> = t
                .iter()
                .map(|x| (x.indicator.clone(), x.reasoning.clone(), x.not_relevant))
                .collect();
            out.push((a.id, t));
            Ok(())
        })
        .unwrap();
        out
    };
    let all = texts(&Selection::All);
    assert_eq!(all.iter().map(|t| t.0).collect::<Vec<_>>(), order);
    let (_, every) = b.select(&Selection::All).unwrap();
    let listed = texts(&Selection::Assessments(ids(&every)));
    assert_eq!(listed, all);
    let some = texts(&Selection::Facility("Bakkely".into(), Some(2026)));
    assert_eq!(some.len(), 3);
    assert!(some.iter().any(|(id, t)| *id == double && t.is_empty()));
    let nr = &some.iter().find(|(id, _)| *id == b26).unwrap().1;
    assert!(nr.iter().any(|(_, why, n)| *n && why.contains("'citat'")));
}

fn free_texts<B: Exchange + ?Sized>(b: &B, scope: &TextScope) -> Vec<StoredText> {
    let mut out = Vec::new();
    b.for_each_free_text(scope, &mut |t| {
        out.push(t);
        Ok(())
    })
    .unwrap();
    out
}

/// The privacy scan's rows: the facilities' texts and each audit user once, within the
/// scope (ported from `store/privacy.rs`).
pub(crate) fn the_scan_reads_free_texts_within_its_scope<B: Facilities + Exchange + ?Sized>(
    b: &mut B,
) {
    let new = NewFacility {
        name: "Solhøj".into(),
        location: "Aarhus".into(),
        ..NewFacility::default()
    };
    let person = crate::store::Stamp {
        by: "010190-1234".into(),
        ..stamp()
    };
    let f = b.add_facility(&new, &person).unwrap();
    let all = TextScope {
        all: true,
        ..TextScope::default()
    };
    let texts = free_texts(b, &all);
    let has = |field: &str, text: &str| {
        texts
            .iter()
            .any(|t| t.table == "facilities" && t.row == f.id && t.field == field && t.text == text)
    };
    assert!(
        has("name", "Solhøj") && has("location", "Aarhus"),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.field == "organisation"),
        "empty texts are left out"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.table == "audit_log" && t.field == "by" && t.text == "010190-1234")
    );
    let second = NewFacility {
        name: "Bakkehuset".into(),
        ..NewFacility::default()
    };
    b.add_facility(&second, &person).unwrap();
    let texts = free_texts(b, &all);
    assert_eq!(
        texts.iter().filter(|t| t.field == "by").count(),
        1,
        "{texts:?}"
    );
    let other = TextScope {
        all: false,
        assessments: vec![],
        facilities: vec![f.id + 100],
    };
    assert!(free_texts(b, &other).is_empty());
    let own = TextScope {
        all: false,
        assessments: vec![],
        facilities: vec![f.id],
    };
    let texts = free_texts(b, &own);
    assert!(
        texts
            .iter()
            .all(|t| t.table != "facilities" || t.row == f.id)
    );
    assert_eq!(texts.iter().filter(|t| t.field == "by").count(), 1);
}

/// An audit row changed behind the program's back is not sealed into a bundle: `alter`
/// changes one of Åhuset's rows with the backend's own SQL and returns its number.
pub(crate) fn a_changed_audit_row_is_not_sealed<B: Facilities + Exchange + ?Sized>(
    b: &mut B,
    alter: impl FnOnce(&mut B) -> i64,
) {
    let (facilities, list) = b
        .select(&Selection::Facility("Åhuset".into(), None))
        .unwrap();
    let mut n = 0;
    b.for_each_audit_row(&facilities, &list, &mut |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert!(n > 5);
    let row = alter(b);
    let e = b
        .for_each_audit_row(&facilities, &list, &mut |_| Ok(()))
        .unwrap_err();
    assert!(matches!(e, Error::AuditRowUnfit(id) if id == row), "{e:?}");
}

/// Every read of the sample as text, for the comparison of two backends.
pub(crate) fn dump<B: Facilities + Listings + Exchange + ?Sized>(b: &B, s: &Sample) -> String {
    let mut out = Vec::new();
    out.push(format!("{:?}", b.assessment_keys().unwrap()));
    for f in s.facilities {
        out.push(format!("{:?}", b.assessment_keys_of(f).unwrap()));
    }
    let mut briefs = b.assessment_briefs().unwrap();
    briefs.sort_by_key(|x| x.id);
    out.push(format!("{briefs:?}"));
    let filters = [
        CompareFilter::default(),
        CompareFilter {
            framework: Some("sikkerhed".into()),
            ..Default::default()
        },
        CompareFilter {
            organisation: Some("region midt".into()),
            years: Some((2016, 2025)),
            ..Default::default()
        },
    ];
    for filter in &filters {
        out.push(format!("{:?}", b.double_keys_where(filter).unwrap()));
        b.for_each_assessment_scores(filter, &mut |a| {
            out.push(format!("{a:?}"));
            Ok(())
        })
        .unwrap();
        let m = b.compare_frame(filter, None).unwrap();
        out.push(format!(
            "{} {:?}",
            m.frame.content_hash(),
            m.others
                .iter()
                .map(|(o, map)| (o.content_hash(), map))
                .collect::<Vec<_>>()
        ));
        let m = b.compare_frame_any(None, filter.framework()).unwrap();
        out.push(format!(
            "{} {:?}",
            m.frame.content_hash(),
            m.others
                .iter()
                .map(|(o, map)| (o.content_hash(), map))
                .collect::<Vec<_>>()
        ));
    }
    let selections = [
        Selection::All,
        Selection::Facility("Bakkely".into(), None),
        Selection::Year(2025),
        Selection::Assessment(s.ahuset[1]),
        Selection::Assessments(vec![s.ahuset[2], s.bakkely[1]]),
    ];
    for sel in &selections {
        let (facilities, list) = b.select(sel).unwrap();
        out.push(serde_json::to_string(&b.bundle_facilities(&facilities)).unwrap());
        out.push(format!("{facilities:?} {list:?}"));
        out.push(serde_json::to_string(&b.bundle_models(&list).unwrap()).unwrap());
        for a in &list {
            out.push(serde_json::to_string(&b.bundle_assessment(a).unwrap()).unwrap());
        }
        b.for_each_audit_row(&facilities, &list, &mut |r| {
            out.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
        b.for_each_selected_scores(sel, &mut |a, scores, actions| {
            out.push(format!("{a:?} {scores:?} {actions:?}"));
            Ok(())
        })
        .unwrap();
        b.for_each_selected_texts(sel, &mut |a, texts| {
            out.push(format!("{a:?} {texts:?}"));
            Ok(())
        })
        .unwrap();
        let scope = TextScope {
            all: *sel == Selection::All,
            assessments: ids(&list),
            facilities: facilities.iter().map(|f| f.id).collect(),
        };
        out.push(format!("{:?}", free_texts(b, &scope)));
    }
    out.join("\n")
}

/// The suite's reads on SQLite.
mod sqlite {
    macro_rules! on_sqlite {
        ($($name:ident),* $(,)?) => {
            $(#[test] fn $name() {
                let (store, sample) = super::sample();
                super::$name(&store, &sample);
            })*
        };
    }

    on_sqlite!(
        keys_briefs_and_doubles_read_as_stored,
        a_comparison_streams_oldest_year_first,
        a_selection_takes_its_facilities_and_assessments,
        a_bundle_reads_its_parts_and_seals_the_audit_rows,
        the_export_streams_agree_with_the_bundle,
    );

    #[test]
    fn the_scan_reads_free_texts_within_its_scope() {
        let mut store = crate::store::Store::open_in_memory(&super::stamp()).unwrap();
        super::the_scan_reads_free_texts_within_its_scope(&mut store);
    }

    #[test]
    fn a_changed_audit_row_is_not_sealed() {
        let (mut store, _) = super::sample();
        super::a_changed_audit_row_is_not_sealed(&mut store, |s| {
            s.conn
                .execute(
                    "UPDATE audit_log SET by = 'nogen' WHERE id = (SELECT max(id) FROM audit_log WHERE action = 'score.set' AND assessment_id IN (SELECT id FROM assessments WHERE year = 2016))",
                    [],
                )
                .unwrap();
            s.conn
                .query_row("SELECT id FROM audit_log WHERE by = 'nogen'", [], |r| {
                    r.get(0)
                })
                .unwrap()
        });
    }

    /// The dump reads everything, and the same sample dumps the same twice.
    #[test]
    fn the_dump_is_the_same_for_the_same_sample() {
        let (one, s) = super::sample();
        let (two, t) = super::sample();
        let dump = super::dump(&one, &s);
        assert!(dump.lines().count() > 50, "{}", dump.lines().count());
        assert_eq!(dump, super::dump(&two, &t));
    }
}
