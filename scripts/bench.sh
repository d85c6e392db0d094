#!/usr/bin/env bash
# make bench: the project's benchmarks, each beside its baseline in the same
# run, reported as medians and ratios (the machines are shared and noisy:
# trust the ratios, not the absolute times).
#
#   BENCH_COUNT   runs per benchmark (default 5)
#   BENCH_TIME    -benchtime per run (default 300x)
#   BENCH_FILTER  -bench regexp for x/credits (default: all)
#   BENCH_APP_TIME -benchtime of the app's transfer benchmarks (default 1000x)
#   BENCH_SECTIONS which groups to run (default "credits proof lists app store
#                 verifier"; verifier: the in-page verifier's size and cold
#                 verification time beside the CLI's, scripts/verifier-bench.sh)
#   JCREDIT_FLAT_SKIP=1 skip the transfers at 10^3 vs 10^6 ranges and over
#                 one sender's history (scripts/bench-flat.sh, a few minutes)
#   BENCH_NET=0   skip the brief network run at the end (scripts/bench-net.sh brief)
#   BENCH_LISTS_TIME -benchtime of the read side's lists and exports
#                 (default 1x: one whole walk of 10^5 records per round)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${BENCH_COUNT:-5}
btime=${BENCH_TIME:-300x}
filter=${BENCH_FILTER:-.}
apptime=${BENCH_APP_TIME:-1000x}
sections=" ${BENCH_SECTIONS:-credits proof lists app store verifier} "
on() { [[ $sections == *" $1 "* ]]; }
liststime=${BENCH_LISTS_TIME:-1x}
out=build/bench
mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"

# Rounds, not -count: each round runs every benchmark once, so a measurement
# and its baseline are taken minutes apart at most, and a burst of load on
# the shared machine hits both rather than one.
for round in $(seq 1 "$count"); do
	if on credits; then
		echo "== round $round/$count: x/credits (real IAVL over pebble; 10^6-range states take a while to build)" >&2
		# bench-flat's benchmarks run below, in one process of their own.
		go test ./x/credits -run '^$' -bench "$filter" -skip '^BenchmarkTransfer(Flat|History)$' -benchtime "$btime" -count 1 -timeout 60m | tee -a "$raw"
	fi
	if on proof; then
		echo "== round $round/$count: node/proof (build, verify, bundle size)" >&2
		go test ./node/proof -run '^$' -bench . -benchtime "$btime" -count 1 -timeout 20m | tee -a "$raw"
	fi
	if on lists; then
		echo "== round $round/$count: node/api lists and exports (per record, 10^3 to 10^5 retirements; the 10^5 state takes a while to build)" >&2
		go test ./node/api -run '^$' -bench '^BenchmarkLists$' -benchtime "$liststime" -count 1 -timeout 30m | tee -a "$raw"
	fi
	if on app; then
		echo "== round $round/$count: app (transfers with and without the gas meter; gas per kind of transaction; the largest serial transfers)" >&2
		go test ./app -run '^$' -bench '^Benchmark(MeterOverhead|Gas(Transfer|TransferUnmetered|Retire|Issue))$' -benchtime "$apptime" -count 1 -timeout 60m | tee -a "$raw"
		go test ./app -run '^$' -bench '^Benchmark(GasSerialTransfer|MaxGasBlock|SerialTransferTx)$' -benchtime 2x -count 1 -timeout 60m | tee -a "$raw"
		go test ./app -run '^$' -bench '^BenchmarkGasTransferLargeState$' -benchtime 5000x -count 1 -timeout 60m | tee -a "$raw"
	fi
	if on store; then
		echo "== round $round/$count: app/store (write-buffer iterators, store access costs)" >&2
		go test ./app/store -run '^$' -bench '^Benchmark(CacheIterator|Op|Metered)' -benchtime 20000x -count 1 -timeout 30m | tee -a "$raw"
	fi
done

# The lists' store reads per record listed (counted, not timed: the same on
# any machine, so once), over 10^3, 10^4 and 10^5 retirements, for every
# credits list and every retirement filter alone and combined; the test
# fails if a list's reads per record grow.
if on lists; then
	echo "== x/credits: store reads per record listed, 10^3 to 10^5 retirements (TestListReadsPerRecordFlat)" >&2
	JCREDIT_LIST_COST_1E5=1 go test ./x/credits -run '^TestListReadsPerRecordFlat$' -v -count 1 -timeout 30m |
		grep -E 'records=|^(ok|FAIL|---)' | sed 's/^ *query_cost_test.go:[0-9]*: //' | tee "$out/list-reads.txt" ||
		echo "== a list's reads per record grow: see $out/list-reads.txt" >&2
fi

# Medians per benchmark, then each measurement next to its baseline.
awk -v pairs="Issue1e9:Issue10 Transfer/ranges=1e6:Transfer/ranges=1e3 TransferSerials/ranges=1e6:TransferSerials/ranges=1e3 Retire/ranges=1e6:Retire/ranges=1e3 SerialLookup/ranges=1e6:SerialLookup/ranges=1e3 StatsUpdate/records=1e5:StatsUpdate/records=1e3 VerifyHeaderChain:Verify Lists/ListRetirements/records=1e5@ns/record:Lists/ListRetirements/records=1e3@ns/record Lists/ListRetirementsByYear/records=1e5@ns/record:Lists/ListRetirementsByYear/records=1e3@ns/record Lists/ListRetirementsByBatch/records=1e5@ns/record:Lists/ListRetirementsByBatch/records=1e3@ns/record Lists/ListRetirementsByDate/records=1e5@ns/record:Lists/ListRetirementsByDate/records=1e3@ns/record Lists/ListRetirementsByProject/records=1e5@ns/record:Lists/ListRetirementsByProject/records=1e3@ns/record Lists/ListRetirementsByCategory/records=1e5@ns/record:Lists/ListRetirementsByCategory/records=1e3@ns/record Lists/ListRetirementsByProjectDate/records=1e5@ns/record:Lists/ListRetirementsByProjectDate/records=1e3@ns/record Lists/ExportCSV/records=1e5@ns/record:Lists/ExportCSV/records=1e3@ns/record Lists/ExportJSONL/records=1e5@ns/record:Lists/ExportJSONL/records=1e3@ns/record Lists/ExportMemory/records=1e5@live-heap-MB:Lists/ExportMemory/records=1e3@live-heap-MB GasTransfer:GasTransferUnmetered CacheIterator/buffered=10000:CacheIterator/buffered=100 MeteredRead/metered:MeteredRead/direct MeteredAccess/metered:MeteredAccess/direct" -f scripts/median.awk -f /dev/stdin "$raw" <<'AWK' | tee "$out/summary.txt"
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) {
		if ($(i+1) == "ns/op") { cnt[name]++; v[name, cnt[name]] = $i }
		# The gas calibration: CPU time per unit of gas, per kind of transaction.
		if ($(i+1) == "cpu-ns/gas") { k = name " (cpu-ns/gas)"; cnt[k]++; v[k, cnt[k]] = $i }
		if ($(i+1) == "cpu-ns/block") { k = name " (cpu-ns/block)"; cnt[k]++; v[k, cnt[k]] = $i }
		# The cost of the meter on ordinary transfers, in percent (A/B within one process).
		if ($(i+1) == "meter-%") { k = name " (meter-%)"; cnt[k]++; v[k, cnt[k]] = $i }
		# Costs per size measured in turn within one process, and their ratios
		# (the key rotation at 10, 10^3 and 10^5 ranges held).
		if ($(i+1) ~ /^(ratio-|cpu-ns\/rotation@)/) { k = name " (" $(i+1) ")"; cnt[k]++; v[k, cnt[k]] = $i }
		# The read side reports per record (and the heap an export holds).
		if ($(i+1) == "ns/record" || $(i+1) == "live-heap-MB") { k = name "@" $(i+1); cnt[k]++; v[k, cnt[k]] = $i }
	}
}
END {
	printf "\n%-56s %14s %6s\n", "benchmark (@: another unit)", "median ns/op", "runs"
	for (name in cnt) printf "%-56s %14.2f %6d\n", name, median(name), cnt[name] | "sort"
	close("sort")
	printf "\n%-56s %-56s %8s\n", "measured", "baseline (same run)", "ratio"
	n = split(pairs, p, " ")
	for (i = 1; i <= n; i++) {
		split(p[i], ab, ":")
		if (!(ab[1] in cnt) || !(ab[2] in cnt)) continue
		printf "%-56s %-56s %7.2fx\n", ab[1], ab[2], median(ab[1]) / median(ab[2])
	}
}
AWK
echo "raw results: $raw; summary: $out/summary.txt" >&2

# Transfers at 10^3 vs 10^6 ranges and over one sender's history (their
# own rounds in one process: the 10^6 state is built once).
if [ "${JCREDIT_FLAT_SKIP:-0}" != 1 ]; then
	BENCH_FLAT_COUNT=$count scripts/bench-flat.sh
fi

# The in-page verifier: size, and a cold verification in a fresh process
# beside the CLI's (its own interleaved rounds).
if on verifier; then
	BENCH_COUNT=$count scripts/verifier-bench.sh
fi

# The network's throughput beside CometBFT's kvstore, briefly (one round;
# `make bench-net` is the full measurement).
if [ "${BENCH_NET:-1}" != 0 ]; then
	echo "== network: jcredit beside kvstore (scripts/bench-net.sh brief)" >&2
	scripts/bench-net.sh brief
fi
