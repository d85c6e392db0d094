#!/usr/bin/env bash
# Runs every Go fuzz target of the module (every `func FuzzXxx(f *testing.F)`
# in a _test.go file without a build tag) for FUZZTIME each, one after the
# other, on top of its seed corpus. A failing input is written under the
# package's testdata/fuzz/<target>/; commit it with the fix, and it becomes
# a regression test that `go test` runs every time.
#
#   scripts/fuzz.sh                  # FUZZTIME=10s per target (make fuzz)
#   FUZZTIME=2m scripts/fuzz.sh      # longer
#   scripts/fuzz.sh FuzzVerify       # only the targets named
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-10s}"

targets=()
while IFS= read -r file; do
  grep -q '^//go:build' "$file" && continue
  dir=$(dirname "$file")
  for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' "$file" | sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/'); do
    targets+=("$dir $name")
  done
done < <(git ls-files '*_test.go' | xargs grep -lE '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' | sort)

if [ $# -gt 0 ]; then
  want=" $* "
  kept=()
  for t in "${targets[@]}"; do
    [[ "$want" == *" ${t#* } "* ]] && kept+=("$t")
  done
  targets=("${kept[@]}")
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found" >&2; exit 1; }

echo "${#targets[@]} fuzz targets, $FUZZTIME each"
for t in "${targets[@]}"; do
  dir=${t% *}; name=${t#* }
  echo "== $name ($dir)"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir"
done
