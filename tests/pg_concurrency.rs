//! Many writers at once against one PostgreSQL server (issue 17, item 4), smaller than the
//! benchmark's 50 × 200: every writer's process succeeds and shows nothing on stderr,
//! every score is the last its writer set and logged once, `verify` finds the chain whole.

mod common;
#[path = "../benches/pg/load.rs"]
mod load;
#[path = "common/pg.rs"]
mod pg;

use std::path::Path;

const WRITERS: usize = 10;
const SCORES: usize = 20;

#[test]
fn the_same_load_on_sqlite_loses_nothing_either() {
    let env = common::Env::new();
    let db = env.db.to_str().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_tilsynsklar"));
    let plan = load::prepare(bin, db, WRITERS, 2026).unwrap();
    let outcome = load::run(bin, db, &plan, SCORES);
    assert_eq!(outcome.errors, Vec::<String>::new(), "shown to a writer");
    let checked = load::check(bin, db, &plan, &outcome).unwrap();
    assert_eq!(checked.lost, Vec::<String>::new());
    assert_eq!(checked.logged, WRITERS * SCORES, "every write logged once");
    assert!(checked.verified, "verify: {}", checked.verify_said);
}
