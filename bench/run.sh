#!/usr/bin/env bash
# The benchmark: builds the release binary, generates a region and a nation into
# temporary databases, and prints one line per figure (median of at least 5 runs, and the
# ratio to the sqlite3 command-line tool where there is a reference). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || echo "(sqlite3 not found: figures against it are left out; apt-get install sqlite3)"
cargo build --release --quiet
TILSYNSKLAR_BENCH=1 cargo bench --quiet --bench speed
