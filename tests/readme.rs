//! The README's key tables say what the program's key table says.

use tilsynsklar::i18n::Lang;
use tilsynsklar::tui::keys::{ASSESSMENT, COMPARE, GAPS, HOME, OVERVIEW, help_lines};

#[test]
fn the_readme_lists_every_key_of_every_screen() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (screen, table) in [
        ("Home", HOME),
        ("Assessment", ASSESSMENT),
        ("Overview", OVERVIEW),
        ("Gaps", GAPS),
        ("Compare", COMPARE),
    ] {
        let start = readme
            .find(&format!("| {screen} | |"))
            .unwrap_or_else(|| panic!("no {screen} key table in the README"));
        let section: Vec<&str> = readme[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .collect();
        let expected: Vec<String> = help_lines(table, Lang::En)
            .into_iter()
            .map(|(k, t)| format!("| `{k}` | {t} |"))
            .collect();
        assert_eq!(
            section, expected,
            "the README's {screen} keys differ from src/tui/keys.rs"
        );
    }
}
