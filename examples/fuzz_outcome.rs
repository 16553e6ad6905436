//! Prints whether each file is accepted or rejected by a fuzz target's entry point, to
//! name the inputs kept under `fuzz/regressions/<target>/` (`accept-…` / `reject-…`):
//!     cargo run --release --example fuzz_outcome -- bundle_import FILE…

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    let run: fn(&[u8]) -> bool = match target.as_str() {
        "bundle_import" => tilsynsklar::fuzzing::import_bundle,
        "model_load" => tilsynsklar::fuzzing::load_model,
        "strategy_load" => tilsynsklar::fuzzing::load_strategy,
        other => {
            eprintln!("unknown target {other:?}: bundle_import, model_load or strategy_load");
            std::process::exit(2);
        }
    };
    for file in args {
        match std::fs::read(&file) {
            Ok(data) => println!("{} {file}", if run(&data) { "accept" } else { "reject" }),
            Err(e) => eprintln!("{file}: {e}"),
        }
    }
}
