#!/usr/bin/env bash
# make fuzz: run every fuzz target of the transaction path in turn.
#
#   FUZZTIME           -fuzztime per target (default 1m)
#   FUZZ_PARALLEL      fuzzing workers per target (default 1: the machine is shared)
#   FUZZ_FILTER        only targets whose name matches this regexp
#
# A crasher is written to <package>/testdata/fuzz/<Target>/ and the run fails;
# keep the file (rename it to say what it found): `make test` replays it as a
# regression test from then on. Inputs that merely widen coverage stay in the
# Go build cache, not in the repository. Minimization is kept short
# (-fuzzminimizetime 10x): these targets start a chain per input, and the
# default 60 s of minimizing every new input would leave little time to fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-1m}
parallel=${FUZZ_PARALLEL:-1}
filter=${FUZZ_FILTER:-.}

targets=(
	"./app/tx FuzzDecode"
	"./app FuzzCheckTx"
	"./app FuzzBlocks"
	"./app FuzzInitChain"
	"./app FuzzSnapshot"
)
failed=()
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	[[ $name =~ $filter ]] || continue
	echo "== $name ($pkg) for $fuzztime" >&2
	if ! go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10x -parallel "$parallel"; then
		failed+=("$name")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz targets that failed: ${failed[*]} (crashers are in testdata/fuzz; see above)" >&2
	exit 1
fi
echo "every fuzz target ran for $fuzztime without a failure" >&2
