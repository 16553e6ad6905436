//! Any bytes as a regional strategy, checked against the bundled models.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tilsynsklar::fuzzing::load_strategy(data);
});
