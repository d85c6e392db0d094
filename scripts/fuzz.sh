#!/usr/bin/env bash
# Runs every Go fuzz target of the module (every `func FuzzXxx(f *testing.F)`
# in a _test.go file without a build tag) for FUZZTIME each, one after the
# other, on top of its seed corpus. A failing input is written under the
# package's testdata/fuzz/<target>/; commit it with the fix (rename it to say
# what it found), and it becomes a regression test that `go test` runs every
# time. Inputs that merely widen coverage stay in the Go build cache, not in
# the repository.
#
#   scripts/fuzz.sh                  # FUZZTIME=1m per target (make fuzz)
#   FUZZTIME=5s scripts/fuzz.sh      # briefly (CI)
#   scripts/fuzz.sh FuzzVerify       # only the targets named
#
# Minimization is kept short (-fuzzminimizetime 10x): several targets start a
# chain per input, and the default 60 s of minimizing every new input would
# leave little time to fuzz. One worker per target (-parallel 1): the machine
# is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-1m}"

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
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10x -parallel 1 "./$dir"
done
