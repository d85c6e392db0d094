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

# Go before 1.27 sometimes ends a duration-bounded run with a bare "context
# deadline exceeded" and no crasher (a race in the fuzzing coordinator at
# the -fuzztime deadline, golang/go#75804). A failing run counts only if it
# wrote a crasher or said something else: the flake is reported, not failed.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "${#targets[@]} fuzz targets, $FUZZTIME each"
for t in "${targets[@]}"; do
  dir=${t% *}; name=${t#* }
  echo "== $name ($dir)"
  corpus="$dir/testdata/fuzz/$name"
  before=$(ls "$corpus" 2>/dev/null | sort || true)
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10x -parallel 1 "./$dir" 2>&1 | tee "$log"; then
    continue
  fi
  after=$(ls "$corpus" 2>/dev/null | sort || true)
  if [ "$before" = "$after" ] && grep -q 'context deadline exceeded' "$log" && ! grep -qE 'Failing input written|panic:' "$log"; then
    echo "== $name: ended with Go's fuzzing-deadline race (golang/go#75804), no crasher written: not a failure" >&2
    continue
  fi
  echo "== $name FAILED (a crasher, if any, is in $corpus)" >&2
  exit 1
done
