//! The overview: means, the radar, the quality checks.

use super::tests::*;

#[test]
fn the_overview_at_80x24_and_120x40_in_danish_and_english() {
    for lang in [Lang::Da, Lang::En] {
        let (mut app, mut store) = at_the_fourth_theme(lang);
        let code = if lang == Lang::Da { "da" } else { "en" };
        press(&mut app, &mut store, &[key(KeyCode::Char('o'))]);
        insta::assert_snapshot!(format!("overview_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("overview_{code}_120x40"), draw(&app, 120, 40));
    }
}
