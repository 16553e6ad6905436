//! Any bytes as a quality model (and as a mapping between the bundled models).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tilsynsklar::fuzzing::load_model(data);
});
