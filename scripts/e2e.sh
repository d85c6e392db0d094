#!/usr/bin/env bash
# End-to-end fault suite (testnet/e2e, build tag e2e): real jcreditd
# processes, each in its own network namespace, broken on purpose under
# load; every node checked after each fault. Needs root and iproute2.
#
#   scripts/e2e.sh short   # CI: 8 s faults, a few blocks around each (~6 min)
#   scripts/e2e.sh full    # 30 s faults, more blocks (~12 min)
#
# The settlement scenario (settlement_test.go: locks settled, released and
# expired while a validator is killed) takes ~25 s short, ~50 s full.
#
# The upgrade scenario (upgrade_test.go) also builds the previous release's
# jcreditd from its git tag v0.2.0 (or its commit): once, into
# build/release-<commit>/ (a minute or two the first time).
#
# Figures (blocks and txs during each fault, recovery time, losses) are
# written to build/e2e-figures-<mode>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-full}"

if [ "$(id -u)" != 0 ]; then
  echo "the e2e suite needs root (network namespaces); run it as root or in a root container" >&2
  exit 1
fi
if ! command -v ip >/dev/null; then
  echo "installing iproute2 (for network namespaces)"
  apt-get update -qq && apt-get install -y -qq iproute2 >/dev/null
fi

BIN="${JCREDITD_BIN:-$PWD/build/jcreditd}"
[ -x "$BIN" ] || go build -o "$BIN" ./node/cmd/jcreditd
mkdir -p build
figures="$PWD/build/e2e-figures-$mode.md"
rm -f "$figures"

args=(-tags e2e -count=1 -v)
case "$mode" in
  short) args+=(-short -timeout 15m) ;;
  full)  args+=(-timeout 40m) ;;
  *) echo "usage: $0 short|full" >&2; exit 2 ;;
esac

set +e
JCREDITD_BIN="$BIN" E2E_FIGURES="$figures" go test "${args[@]}" ./testnet/e2e/ 2>&1 | tee "build/e2e-$mode.log"
status=${PIPESTATUS[0]}
set -e
echo
[ -f "$figures" ] && cat "$figures"
exit "$status"
