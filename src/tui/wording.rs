//! How the screens name the open model's parts: its level names (tema / område …), a
//! count of them, and its scale in few words. Model texts, so escaped for the terminal.

use super::view::safe;
use crate::i18n::Lang;
use crate::model::{LevelName, QualityModel};

/// A level name with a capital first letter: "Tema", "Område", "Area".
pub(super) fn title(name: &str) -> String {
    let name = safe(name);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

/// `n` of a level: "2 indikator(er)" where the plural is the regular one (singular + "er",
/// "s"), else the singular or the plural as `n` asks ("1 spørgsmål", "3 criteria").
pub(super) fn counted(n: usize, name: &LevelName, lang: Lang) -> String {
    let (one, many, ending) = match lang {
        Lang::Da => (&name.da, &name.da_plural, "er"),
        Lang::En => (&name.en, &name.en_plural, "s"),
    };
    if many.strip_prefix(one.as_str()) == Some(ending) {
        format!("{n} {}({ending})", safe(one))
    } else if n == 1 {
        format!("{n} {}", safe(one))
    } else {
        format!("{n} {}", safe(many))
    }
}

/// The scale in few words, lowest value first. The words every label shares at its
/// start and at its end are cut and said once, in brackets ("I meget høj grad opfyldt"
/// … → "5 meget høj (grad opfyldt)"), leaving out the short words of one or two letters
/// ("I", "to", "a"); labels that share nothing are shown as they are ("0 Ikke
/// påbegyndt · 1 Delvist på plads …").
pub(super) fn scale_line(model: &QualityModel, lang: Lang) -> String {
    let mut steps: Vec<(u8, &str)> = model
        .scale
        .iter()
        .map(|s| {
            let label = match lang {
                Lang::En if !s.label.en.is_empty() => &s.label.en,
                _ => &s.label.da,
            };
            (s.value, label.as_str())
        })
        .collect();
    steps.sort_by_key(|s| s.0);
    let words: Vec<Vec<&str>> = steps
        .iter()
        .map(|s| s.1.split_whitespace().collect())
        .collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let shared = |at: &dyn Fn(&Vec<&str>, usize) -> Option<usize>| {
        (0..shortest)
            .take_while(|k| {
                let first = at(&words[0], *k).map(|i| words[0][i]);
                words.iter().all(|w| at(w, *k).map(|i| w[i]) == first)
            })
            .count()
    };
    let (mut head, mut tail) = if words.len() < 2 {
        (0, 0)
    } else {
        (
            shared(&|_, k| Some(k)),
            shared(&|w: &Vec<&str>, k| w.len().checked_sub(k + 1)),
        )
    };
    // every label keeps at least one word of its own
    while head + tail >= shortest && head + tail > 0 {
        if tail > 0 {
            tail -= 1;
        } else {
            head -= 1;
        }
    }
    let shown: Vec<String> = steps
        .iter()
        .zip(&words)
        .map(|((value, label), w)| {
            let own = if head + tail == 0 {
                label.to_string()
            } else {
                w[head..w.len() - tail].join(" ")
            };
            format!("{value} {}", safe(&own))
        })
        .collect();
    let cut: Vec<String> = words
        .first()
        .map(|w| {
            // the start's short words ("I", "to", "a") read wrongly after the end's
            let start = w[..head].iter().filter(|x| x.chars().count() > 2);
            w[w.len() - tail..]
                .iter()
                .chain(start)
                .map(|x| x.to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let mut line = format!("{}: {}", lang.pick("Skala", "Scale"), shown.join(" · "));
    if !cut.is_empty() {
        line.push_str(&format!(" ({})", safe(&cut.join(" "))));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> QualityModel {
        crate::model::bundled_models()
            .into_iter()
            .find(|m| m.id == name)
            .expect("a bundled model")
    }

    #[test]
    fn the_quality_models_scale_is_cut_to_its_degrees() {
        let m = model("socialtilsyn-2017");
        assert_eq!(
            scale_line(&m, Lang::Da),
            "Skala: 1 meget lav · 2 lav · 3 middel · 4 høj · 5 meget høj (grad opfyldt)"
        );
        assert_eq!(
            scale_line(&m, Lang::En),
            "Scale: 1 very low · 2 low · 3 moderate · 4 high · 5 very high (degree met)"
        );
    }

    #[test]
    fn the_safety_scale_shares_nothing_and_reads_as_it_is() {
        let m = model("sikkerhed-2017");
        assert_eq!(
            scale_line(&m, Lang::Da),
            "Skala: 0 Ikke påbegyndt · 1 Delvist på plads · 2 I høj grad på plads · 3 Fuldt implementeret"
        );
        assert_eq!(
            scale_line(&m, Lang::En),
            "Scale: 0 Not started · 1 Partly in place · 2 Largely in place · 3 Fully implemented"
        );
    }

    #[test]
    fn a_label_is_never_cut_to_nothing() {
        let mut m = model("sikkerhed-2017");
        for (s, da) in m
            .scale
            .iter_mut()
            .zip(["ikke helt", "delvist helt", "helt", "næsten helt"])
        {
            s.label.da = da.into();
        }
        // "helt" is a whole label: nothing is cut
        assert_eq!(
            scale_line(&m, Lang::Da),
            "Skala: 0 ikke helt · 1 delvist helt · 2 helt · 3 næsten helt"
        );
        for (s, da) in m.scale.iter_mut().zip(["lidt på plads", "mest på plads"]) {
            s.label.da = da.into();
        }
        m.scale.truncate(2);
        assert_eq!(
            scale_line(&m, Lang::Da),
            "Skala: 0 lidt · 1 mest (på plads)"
        );
    }

    #[test]
    fn counts_use_the_models_own_level_names() {
        let quality = model("socialtilsyn-2017");
        let safety = model("sikkerhed-2017");
        let ind = |m: &QualityModel, n, lang| counted(n, &m.levels().indicator, lang);
        assert_eq!(ind(&quality, 2, Lang::Da), "2 indikator(er)");
        assert_eq!(ind(&quality, 2, Lang::En), "2 indicator(s)");
        assert_eq!(ind(&safety, 1, Lang::Da), "1 spørgsmål");
        assert_eq!(ind(&safety, 3, Lang::Da), "3 spørgsmål");
        assert_eq!(ind(&safety, 3, Lang::En), "3 question(s)");
        assert_eq!(
            counted(3, &quality.levels().criterion, Lang::En),
            "3 criteria"
        );
        assert_eq!(title(&safety.levels().theme.da), "Område");
        assert_eq!(title(&safety.levels().theme.en), "Area");
    }
}
