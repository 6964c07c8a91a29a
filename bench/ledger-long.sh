#!/usr/bin/env bash
# The long run of the money property test: random sequences of multi-shop trades with discounts
# of both kinds, payments, completions, partial and full refunds, settlement runs, bill
# confirmations and withdrawals, with the invariants checked after every step. CI runs a few
# cases on each database; this runs many on SQLite, split over processes with different seeds
# (one per core by default), and writes the outcome to a file.
#   bash bench/ledger-long.sh            # 10,000 cases
#   bash bench/ledger-long.sh 2000 1     # 2,000 cases in one process
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-10000}
chunks=${2:-$(nproc)}
out=bench/results/ledger-long.md
test=ledger_props::money_invariants_hold_after_every_step_sqlite
cargo test --quiet -p server --test integration --no-run
start=$(date +%s)
pids=()
logs=()
for ((i = 1; i <= chunks; i++)); do
  log=$(mktemp)
  logs+=("$log")
  LEDGER_SEED=$i LEDGER_CASES=$((cases / chunks)) \
    cargo test --quiet -p server --test integration "$test" -- --exact --nocapture >"$log" 2>&1 &
  pids+=($!)
done
status=passed
for pid in "${pids[@]}"; do wait "$pid" || status=failed; done
secs=$(($(date +%s) - start))
{
  echo "# Money invariants: long run"
  echo
  echo "\`bash bench/ledger-long.sh $cases $chunks\` on $(date -u +%Y-%m-%d), SQLite, $chunks processes (seeds 1–$chunks)."
  echo
  echo "| cases | steps per case | result | time |"
  echo "|---|---|---|---|"
  echo "| $(((cases / chunks) * chunks)) | 1–39 | $status | ${secs} s |"
  echo
  echo "Every buy goes through the pricing pipeline with random platform and shop coupons and"
  echo "full-reductions (every discount source and funder occurs)."
  echo
  echo "Steps that went through (buy, pay, ship, complete, refund, settle, confirm, withdraw, review):"
  echo
  for log in "${logs[@]}"; do
    echo "- $(grep -o '= \[.*\]' "$log" | tr -d '=' || echo 'none (failed)')"
  done
  echo
  echo "After every step: no account is negative; merchants + platform = clearing; each order the"
  echo "step changed holds what its items, refunds and state say (a fully refunded order holds"
  echo "nothing). After every case: clearing = paid − refunded over all orders, and every order"
  echo "of the case. Every balance against all its lines and every posting's balance: after every"
  echo "step of the first 30 cases of each process and of one case in a hundred."
} >"$out"
for log in "${logs[@]}"; do tail -3 "$log"; done
echo "written to $out"
[[ $status == passed ]]
