#!/usr/bin/env bash
# The long run of the money property test: random sequences of multi-shop trades with discounts
# of both kinds, payments, completions, partial and full refunds, settlement runs, bill
# confirmations and withdrawals, with every invariant checked after every step. CI runs a few
# cases on each database; this runs many on SQLite and writes the outcome to a file.
#   bash bench/ledger-long.sh          # 10,000 cases
#   bash bench/ledger-long.sh 2000     # fewer
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-10000}
out=bench/results/ledger-long.md
log=$(mktemp)
start=$(date +%s)
status=passed
LEDGER_CASES=$cases cargo test -p server --test integration \
  ledger_props::money_invariants_hold_after_every_step_sqlite -- --exact --nocapture \
  >"$log" 2>&1 || status=failed
secs=$(( $(date +%s) - start ))
{
  echo "# Money invariants: long run"
  echo
  echo "\`bash bench/ledger-long.sh $cases\` on $(date -u +%Y-%m-%d), SQLite."
  echo
  echo "| cases | steps per case | result | time |"
  echo "|---|---|---|---|"
  echo "| $cases | 1–15 | $status | ${secs} s (build included) |"
  echo
  echo "After every step: every posting balances, every account's balance is the sum of its"
  echo "lines (in full for the first 20 cases and every 100th, and at the end), nothing is"
  echo "negative, each order's holdings match its items, refunds and state (a fully refunded"
  echo "order holds nothing), and merchants + platform = paid − refunded = clearing."
} >"$out"
tail -5 "$log"
echo "written to $out"
[[ $status == passed ]]
