//! Any bytes as an exchange bundle, imported into a fresh database: an error or a report,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tilsynsklar::fuzzing::import_bundle(data);
});
