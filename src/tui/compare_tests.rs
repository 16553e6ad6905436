//! The Compare screen: a facility over the years and the heat map.

use super::tests::*;

#[test]
fn the_compare_screen_follows_a_facility_and_moves_between_years() {
    let mut store = region();
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &[key(KeyCode::Char('c'))]);
    assert_eq!(app.screen, Screen::Compare);
    let c = app.compare.view.as_ref().unwrap();
    assert_eq!(c.facility, "Bostedet Solhøj");
    assert_eq!(c.years, vec![2016, 2025]);
    // 2016 on the 2014 model seen in the 2017 frame: 14a/14b are 2017's 11a/11b -> T7 2.5
    assert_eq!(c.means[6], vec![Some(2.5), None]);
    assert_eq!(c.matrix.year, 2025);
    // both 3,75 overall in 2025: ties go by name
    assert_eq!(
        c.matrix
            .rows
            .iter()
            .map(|r| r.facility.as_str())
            .collect::<Vec<_>>(),
        ["Bostedet Solhøj", "Æblehaven"]
    );
    press(&mut app, &mut store, &[key(KeyCode::Left)]);
    assert_eq!(app.compare.view.as_ref().unwrap().matrix.year, 2016);
    press(&mut app, &mut store, &[key(KeyCode::Left)]);
    assert_eq!(
        app.compare.view.as_ref().unwrap().matrix.year,
        2016,
        "no earlier year"
    );
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('l')), key(KeyCode::Esc)],
    );
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn the_compare_screen_at_80x24_and_120x40() {
    for lang in [Lang::Da, Lang::En] {
        let mut store = region();
        let mut app = app(&store, lang);
        press(&mut app, &mut store, &[key(KeyCode::Char('c'))]);
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("compare_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("compare_{code}_120x40"), draw(&app, 120, 40));
    }
}
