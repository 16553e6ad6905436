//! The model's own level names, scale and provenance in every face outside the TUI: the
//! safety self-evaluation (område / retningslinje / spørgsmål, 0–3, not law) through the
//! CLI, the HTML and Markdown report and the workbook; the quality model keeps its names.

mod common;

use common::Env;

const F: &str = "Bostedet Solhøj";

/// A facility with a 2025 safety self-evaluation (assessment 1): S1a 3, S1b 0.
fn safety() -> Env {
    let env = Env::new();
    env.ok(&["facility", "add", F]);
    env.ok(&[
        "assessment",
        "start",
        "-f",
        F,
        "-y",
        "2025",
        "--framework",
        "sikkerhed",
    ]);
    for (id, v) in [("S1a", "3"), ("S1b", "0")] {
        env.ok(&[
            "score",
            "set",
            "-a",
            "1",
            "-i",
            id,
            "-v",
            v,
            "-r",
            "Gennemgået",
        ]);
    }
    env
}

#[test]
fn the_cli_names_the_safety_models_levels() {
    let env = safety();
    let show = env.ok(&["assessment", "show", "-a", "1"]);
    assert!(show.contains("Område 1"), "{show}");
    assert!(!show.contains("Tema "), "{show}");
    let summary = env.ok(&["assessment", "summary", "-a", "1"]);
    assert!(summary.contains("Område / retningslinje"), "{summary}");
    let model = env.ok(&["model", "show", "sikkerhed-2017"]);
    assert!(model.contains("Område 1 "), "{model}");
    let gaps = env.ok(&["gaps", "-a", "1"]);
    assert!(gaps.contains("[spørgsmål 0:"), "{gaps}");
    assert!(!gaps.contains("[indikator"), "{gaps}");
    let en = env.ok(&["--lang", "en", "assessment", "summary", "-a", "1"]);
    assert!(en.contains("Area / guideline"), "{en}");
    // the quality model keeps tema / kriterium
    env.ok(&["assessment", "start", "-f", F, "-y", "2025"]);
    let q = env.ok(&["assessment", "summary", "-a", "2"]);
    assert!(q.contains("Tema / kriterium"), "{q}");
}

#[test]
fn the_report_draws_the_0_to_3_scale_and_names_the_models_source() {
    let env = safety();
    let html = env.ok(&["export", "--format", "html", "-a", "1"]);
    assert!(html.contains("Område 1 "), "{html}");
    assert!(
        html.contains("<th>Spørgsmål</th>") || html.contains(">Spørgsmål<"),
        "{html}"
    );
    // rings at 1, 2, 3 only; the area's 1.5 half way out on the first spoke
    let rings: Vec<&str> = html
        .split(r#"class="ring""#)
        .skip(1)
        .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(rings, ["1", "2", "3"], "{html}");
    assert!(
        html.contains("160.0,95.0"),
        "1.5 of 3 is half the radius: {html}"
    );
    // the wording note names the model's own source, not the executive order
    assert!(!html.contains("bekendtgørelsen"), "{html}");
    assert!(html.contains("er ikke lovtekst"), "{html}");
    assert!(html.contains("Nationale retningslinjer"), "{html}");
    assert!(html.contains("Model for sikkerhed"), "{html}");
    assert!(html.contains("Det gælder spørgsmål S1a*"), "{html}");
    let md = env.ok(&["export", "--format", "md", "-a", "1"]);
    assert!(md.contains("| Område |"), "{md}");
    assert!(md.contains("Samlet gennemsnit af områder:"), "{md}");
    // the quality model's report still sends the reader to the executive order
    env.ok(&["assessment", "start", "-f", F, "-y", "2025"]);
    let q = env.ok(&["export", "--format", "html", "-a", "2"]);
    assert!(
        q.contains("bekendtgørelsen om socialtilsyn, bilag 1"),
        "{q}"
    );
    assert!(q.contains("Tema 1 "), "{q}");
    assert!(!q.contains("er ikke lovtekst"), "{q}");
    assert_eq!(q.matches(r#"class="ring""#).count(), 5, "rings 1-5");
}

#[test]
fn the_workbook_names_each_sheets_levels_by_its_model() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let env = safety();
    env.ok(&["assessment", "start", "-f", F, "-y", "2025"]);
    let path = env.dir.path().join("alt.xlsx");
    env.ok(&[
        "export",
        "--format",
        "xlsx",
        "--all",
        "-o",
        path.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names();
    let head = |book: &mut Xlsx<_>, name: &str| -> Vec<String> {
        let r = book.worksheet_range(name).unwrap();
        (0..9)
            .map(|c| r.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
            .collect()
    };
    let area = names
        .iter()
        .find(|n| n.starts_with("1 ") && !n.contains("Uddannelse"))
        .unwrap_or_else(|| panic!("{names:?}"))
        .clone();
    let h = head(&mut book, &area);
    assert_eq!(
        h[4..7],
        ["Retningslinje", "Spørgsmål", "Spørgsmål – tekst"],
        "{h:?}"
    );
    let h = head(&mut book, "1 Uddannelse og beskæftigelse");
    assert_eq!(
        h[4..7],
        ["Kriterium", "Indikator", "Indikatortekst"],
        "{h:?}"
    );
    let h = head(&mut book, "Oversigt sikkerhed-2017");
    assert_eq!(h[7], "Spørgsmål", "{h:?}");
    let gaps = book
        .worksheet_range(
            &names
                .iter()
                .find(|n| n.starts_with("Huller"))
                .unwrap()
                .clone(),
        )
        .unwrap();
    let levels: Vec<String> = (1..gaps.height() as u32)
        .filter_map(|r| gaps.get((r as usize, 3)).map(Data::to_string))
        .collect();
    assert!(levels.contains(&"spørgsmål".to_string()), "{levels:?}");
    assert!(!levels.iter().any(|l| l == "indicator"), "{levels:?}");
}
