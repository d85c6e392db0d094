#!/usr/bin/env bash
# make bench-net: jcredit's committed transactions per second and latency
# beside CometBFT's kvstore, on 4 local validators each, in interleaved
# rounds (testnet/bench, build tag bench). Summary in
# build/bench/net-summary.md; profiles beside it.
#
#   scripts/bench-net.sh full    # make bench-net: 3 rounds, transfer + mix, profiles (~15 min)
#   scripts/bench-net.sh brief   # make bench's part: 1 round, transfers only, no profiles (~3 min)
#   scripts/bench-net.sh short   # make bench-net-short (CI): harness check on a tiny load (<1 min)
#
# BENCH_NET_* variables override the options (testnet/bench/options.go).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-full}"
mkdir -p build/bench

# Both binaries are built once from this checkout: jcreditd with cgo (the
# libsecp256k1 path a release uses) and cometbft at the version in go.mod.
export JCREDITD_BIN="${JCREDITD_BIN:-$PWD/build/jcreditd}"
export COMETBFT_BIN="${COMETBFT_BIN:-$PWD/build/cometbft}"
[ -n "${BENCH_NET_NOBUILD:-}" ] || {
  CGO_ENABLED=1 go build -o "$JCREDITD_BIN" ./node/cmd/jcreditd
  go build -o "$COMETBFT_BIN" github.com/cometbft/cometbft/cmd/cometbft
}
export BENCH_NET_OUT="${BENCH_NET_OUT:-$PWD/build/bench}"

args=(-tags bench -count=1 -run '^TestBenchNet$' -v)
case "$mode" in
  full)  args+=(-timeout 90m); export BENCH_NET_COMMAND="${BENCH_NET_COMMAND:-make bench-net}" ;;
  brief)
    args+=(-timeout 30m)
    export BENCH_NET_ROUNDS="${BENCH_NET_ROUNDS:-1}" BENCH_NET_WORKLOADS="${BENCH_NET_WORKLOADS:-transfer}" \
      BENCH_NET_SATURATE="${BENCH_NET_SATURATE:-15s}" BENCH_NET_RATED="${BENCH_NET_RATED:-10s}" \
      BENCH_NET_PROFILE="${BENCH_NET_PROFILE:-0}" BENCH_NET_SUMMARY="${BENCH_NET_SUMMARY:-net-summary-brief.md}" \
      BENCH_NET_COMMAND="${BENCH_NET_COMMAND:-make bench (scripts/bench-net.sh brief)}" ;;
  short) args+=(-short -timeout 10m) ;;
  *) echo "usage: $0 full|brief|short" >&2; exit 2 ;;
esac

set +e
go test "${args[@]}" ./testnet/bench/ 2>&1 | tee "build/bench/net-$mode.log"
status=${PIPESTATUS[0]}
set -e
summary=$(ls -t build/bench/net-summary*.md 2>/dev/null | head -1)
[ -n "$summary" ] && { echo; echo "== $summary"; cat "$summary"; }
exit "$status"
