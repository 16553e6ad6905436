//! The Markdown report holds a multi-line text without forging structure (issue 14,
//! attack 8): every line of a hostile reasoning stays inline text of its indicator.

mod common;

use common::Env;

const HOSTILE: &str = "Start\n- forged item\n# forged heading\n```\ncode\n```\n    indented code\n> quote\n2025. numbered\n\n| a | b |\n===\n---\n+ plus\n* star\n~~~\n<b>html</b>";

#[test]
fn a_hostile_multi_line_reasoning_forges_no_structure() {
    let env = Env::new();
    let id = env.facility_with_assessment();
    env.ok(&[
        "score",
        "set",
        "-a",
        &id,
        "-i",
        "1a",
        "-v",
        "3",
        "--reason",
        HOSTILE,
        "--source",
        "Journal\n1) one\n  - two",
    ]);
    let md = env.ok(&["export", "--format", "md", "-a", &id]);
    // the whole reasoning is one line of the indicator's item, its line breaks `<br>`
    let line = md
        .lines()
        .find(|l| l.contains("Start"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        line.starts_with("  Start<br>\\- forged item<br>\\# forged heading<br>\\`\\`\\`<br>code"),
        "{line}"
    );
    for shown in [
        "<br>&nbsp;&nbsp;&nbsp;&nbsp;indented code",
        "<br>&gt; quote<br>2025\\. numbered<br><br>\\| a \\| b \\|<br>\\===<br>\\---<br>\\+ plus<br>\\* star<br>\\~\\~\\~<br>&lt;b&gt;html&lt;/b&gt;",
    ] {
        assert!(line.contains(shown), "{shown} not in {line}");
    }
    let sources = md.lines().find(|l| l.contains("Journal")).unwrap();
    assert!(
        sources.ends_with("Journal<br>1\\) one<br>&nbsp;&nbsp;\\- two"),
        "{sources}"
    );
    // no line of the report comes from the texts but those two
    for forged in ["forged", "indented code", "2025", "Journal", "two"] {
        let n = md.lines().filter(|l| l.contains(forged)).count();
        assert_eq!(n, 1, "{forged}: {md}");
    }
}
