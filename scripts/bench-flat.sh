#!/usr/bin/env bash
# make bench-flat: issue 16's "per-transfer cost flat from 10^3 to 10^6
# holdings". One process builds a 10^3- and a 10^6-range state (real IAVL
# over pebble; the 10^6 one in bulk, ~1.5 min) and measures, in turn,
# BENCH_FLAT_COUNT times: a transfer by quantity from one sender and a
# transfer by serials at random places (x/credits BenchmarkTransferFlat);
# then one sender's transfers over 5 successive rounds
# (BenchmarkTransferHistory). Prints medians (CPU time of the process per
# operation) and the 1e6/1e3 ratios into build/bench/flat-summary.txt.
# A few minutes on 2 cores.
#
#   BENCH_FLAT_COUNT  rounds (default 5)
#   BENCH_FLAT_TIME   -benchtime per round (default 1000x)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${BENCH_FLAT_COUNT:-5}
btime=${BENCH_FLAT_TIME:-1000x}
out=build/bench
mkdir -p "$out"
raw=$out/flat-raw.txt

echo "== x/credits: transfers at 10^3 and 10^6 ranges, and over one sender's history ($count rounds of $btime; the 10^6 state takes ~1.5 min to build)" >&2
go test ./x/credits -run '^$' -bench '^BenchmarkTransfer(Flat|History)$' -benchtime "$btime" -count "$count" -timeout 30m | tee "$raw"

{
	echo "# make bench-flat, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $count rounds of $btime"
	echo "# serials: one operation is a transfer there and back (two transfers)"
	awk -f scripts/median.awk -f /dev/stdin "$raw" <<'AWK'
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++names] = name }
	for (i = 3; i < NF; i++) {
		u = $(i+1)
		if (u ~ /\/op|^ratio-/) {
			k = name SUBSEP u
			if (!(k in cnt)) units[name] = units[name] " " u
			cnt[k]++; v[k, cnt[k]] = $i
		}
	}
}
END {
	printf "\n%-40s %-22s %14s %5s\n", "benchmark", "unit", "median", "runs"
	for (x = 1; x <= names; x++) {
		name = order[x]; m = split(units[name], us, " ")
		for (y = 1; y <= m; y++) printf "%-40s %-22s %14.2f %5d\n", name, us[y], median(name SUBSEP us[y]), cnt[name SUBSEP us[y]]
	}
	printf "\n%-40s %-12s %8s\n", "1e6 / 1e3 (same process)", "unit", "ratio"
	split("quantity serials", ops, " ")
	split("cpu-ns/op ns/op reads/op writes/op", rs, " ")
	for (o = 1; o <= 2; o++) for (r = 1; r <= 4; r++) {
		a = "TransferFlat/ranges=1e6/" ops[o] SUBSEP rs[r]; b = "TransferFlat/ranges=1e3/" ops[o] SUBSEP rs[r]
		if ((a in cnt) && (b in cnt) && median(b) > 0) printf "%-40s %-12s %7.2fx\n", "TransferFlat/" ops[o], rs[r], median(a) / median(b)
	}
}
AWK
} | tee "$out/flat-summary.txt"
echo "raw results: $raw; summary: $out/flat-summary.txt" >&2
