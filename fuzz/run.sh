#!/usr/bin/env bash
# Fuzzes each target for SECONDS (default 600) on the stable toolchain (no sanitizer),
# starting from the seeds, and prints each target's executions. Crashes land in
# fuzz/artifacts/<target>/; copy the ones worth keeping to fuzz/regressions/<target>/,
# which `cargo test --test fuzz_regressions` runs in CI.
#   bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bundle_import model_load strategy_load)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
cargo fuzz build -s none --release
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  [ -d "regressions/$t" ] && cp -n regressions/"$t"/* "corpus/$t/" 2>/dev/null || true
  log="logs/$t.log"
  mkdir -p logs
  cargo fuzz run -s none --release "$t" "corpus/$t" -- \
    -max_total_time="$secs" -dict=json.dict -max_len=65536 -print_final_stats=1 >"$log" 2>&1 || {
      echo "$t: FAILED, see fuzz/$log and fuzz/artifacts/$t/"; continue; }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "$t: ${secs}s, $runs executions, corpus $(ls "corpus/$t" | wc -l) inputs, no crash"
done
