//! Invisible and control characters in stored texts, shown in the terminal and in --json.

mod common;

use common::Env;

#[test]
fn bidi_zero_width_and_c1_characters_never_reach_the_terminal_raw() {
    let env = Env::new();
    let name = "Solhøj\u{202E}nav\u{2066}x\u{2069} 12\u{200B}34 \u{9B}31m \u{85}\u{2028}y";
    env.ok(&["facility", "add", name]);
    let list = env.ok(&["facility", "list"]);
    for c in [
        '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{9B}', '\u{85}', '\u{2028}',
    ] {
        assert!(!list.contains(c), "{c:?} raw in {list:?}");
    }
    assert!(list.contains("Solhøj\\u{202e}nav"), "{list}");
    assert!(list.contains("12\\u{200b}34"), "{list}");
    let json = env.ok(&["facility", "list", "--json"]);
    for c in [
        '\u{202E}', '\u{2066}', '\u{200B}', '\u{9B}', '\u{85}', '\u{2028}',
    ] {
        assert!(!json.contains(c), "{c:?} raw in {json:?}");
    }
    assert!(
        json.contains("\\u202e") && json.contains("\\u009b"),
        "{json}"
    );
    // still valid JSON, holding the name as it was typed (trimmed: U+0085 and U+2028 are white space)
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back[0]["name"], name.trim(), "{back}");
}
