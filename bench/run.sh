#!/usr/bin/env bash
# The benchmark: builds the release binary, generates a region and a nation into
# temporary databases, and prints one line per figure (median of at least 5 timings, and
# the ratio to a reference measured in the same run: a plain insert loop of the same rows,
# or the sqlite3 command-line tool). The whole benchmark runs TILSYNSKLAR_BENCH_RUNS times
# (default 3) and ends with min / median / max per figure and whether each target is met;
# it exits non-zero when a median misses its target. Takes several minutes.
# Parts alone: TILSYNSKLAR_BENCH_ONLY=demo,import,verify (after the demo), or any of
# tui,compare,csv,xlsx,reports on TILSYNSKLAR_BENCH_DB (a nation made once with `demo`);
# TILSYNSKLAR_BIN picks the binary (an A/B of two builds), TILSYNSKLAR_BENCH_RUNS=1 one run.
# The PostgreSQL part (benches/pg.rs: 50 writers x 200 scores, compare --year beside
# SQLite, on a throwaway cluster) runs after the rest, or alone: TILSYNSKLAR_BENCH_ONLY=pg.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || echo "(sqlite3 not found: figures against it are left out; apt-get install sqlite3)"
cargo build --release --quiet
only="${TILSYNSKLAR_BENCH_ONLY-}"
rest="$(printf '%s' "$only" | tr ',' '\n' | grep -vx 'pg' | paste -sd, - || true)"
missed=0
if [ -z "$only" ] || [ -n "$rest" ]; then
  if [ -n "$only" ]; then export TILSYNSKLAR_BENCH_ONLY="$rest"; fi
  TILSYNSKLAR_BENCH=1 cargo bench --quiet --bench speed || missed=1
fi
if [ -z "$only" ] || printf '%s' "$only" | tr ',' '\n' | grep -qx 'pg'; then
  TILSYNSKLAR_BENCH=1 cargo bench --quiet --bench pg || missed=1
fi
if [ "$missed" = 1 ]; then
  echo "bench/run.sh: at least one median missed its target (MISSED in the summary above)" >&2
  exit 1
fi
