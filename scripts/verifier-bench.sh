#!/usr/bin/env bash
# The in-page verifier's size and cold verification time (make
# bench-verifier; also the "verifier" section of make bench), beside the
# CLI verifier on the same bundle, in interleaved rounds, as medians.
#
# A cold verification is a fresh Node.js process (V8, as in Chromium):
# read the module, compile, instantiate and start it, verify one bundle
# (scripts/verifier-cold.js). The bundle is a real one from the v0.2.0
# corpus: a retirement proven through a 3-link header chain from genesis.
# The CLI's time is a fresh `jcreditd verify` process on the same files.
#
#   BENCH_COUNT    rounds (default 5)
#   VERIFIER_BASE  a git ref whose verifier to measure too, in the same
#                  rounds (e.g. the commit before a change to it)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${BENCH_COUNT:-5}
out=build/bench/verifier
mkdir -p "$out"
buildwasm() { GOOS=js GOARCH=wasm CGO_ENABLED=0 go build -tags force32bit -trimpath -ldflags '-s -w' -o "$1" ./node/api/wasm; }

echo "== verifier: building (as make wasm does)" >&2
buildwasm "$out/current.wasm"
variants=(current)
if [ -n "${VERIFIER_BASE:-}" ]; then
	tmp=$(mktemp -d)
	git worktree add --detach "$tmp" "$VERIFIER_BASE" >&2
	(cd "$tmp" && buildwasm "$OLDPWD/$out/base.wasm")
	git worktree remove --force "$tmp"
	variants+=(base)
fi
go build -o "$out/jcreditd" ./node/cmd/jcreditd
glue=$(go env GOROOT)/lib/wasm/wasm_exec.js
[ -f "$glue" ] || glue=$(go env GOROOT)/misc/wasm/wasm_exec.js
corpus=node/proof/testdata/corpus-v1
bundle=$corpus/e3-retirement-3.json
trust=$corpus/genesis.json

results=$out/raw.jsonl
: >"$results"
for round in $(seq 1 "$count"); do
	echo "== verifier round $round/$count" >&2
	for v in "${variants[@]}"; do
		line=$(node scripts/verifier-cold.js "$glue" "$out/$v.wasm" "$bundle" "$trust")
		echo "{\"variant\":\"$v\",\"m\":$line}" >>"$results"
	done
	t0=$(date +%s%N)
	"$out/jcreditd" verify --trust "$trust" -o json "$bundle" >/dev/null
	t1=$(date +%s%N)
	echo "{\"variant\":\"cli\",\"m\":{\"cold_total_ms\":$(((t1 - t0) / 100000))e-1}}" >>"$results"
done

sizes=""
for v in "${variants[@]}"; do
	sizes+="\"$v\":[$(stat -c %s "$out/$v.wasm"),$(gzip -9c "$out/$v.wasm" | wc -c)],"
done
node - "$results" "{${sizes%,}}" "${VERIFIER_BASE:-}" <<'JS' | tee "$out/summary.txt"
const fs = require("fs");
const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
const sizes = JSON.parse(process.argv[3]), base = process.argv[4];
const median = (a) => { a = [...a].sort((x, y) => x - y); const n = a.length; return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2; };
const cols = ["compile_ms", "start_ms", "first_verify_ms", "cold_total_ms", "warm_verify_ms"];
const med = {};
for (const v of ["current", "base", "cli"]) {
  const rs = rows.filter((r) => r.variant === v);
  if (!rs.length) continue;
  med[v] = {};
  for (const c of cols) if (c in rs[0].m) med[v][c] = median(rs.map((r) => r.m[c]));
  med[v].runs = rs.length;
}
const label = { current: "wasm (this tree)", base: `wasm (${base})`, cli: "CLI: jcreditd verify" };
console.log(`\nin-page verifier: a cold verification (fresh process), medians of ${med.current.runs} rounds`);
console.log(["", "raw bytes", "gzip -9", ...cols, "runs"].map((s, i) => (i ? String(s).padStart(17) : String(s).padEnd(24))).join(""));
for (const v of Object.keys(med)) {
  const s = sizes[v] || ["", ""];
  console.log([label[v], s[0], s[1], ...cols.map((c) => med[v][c] ?? ""), med[v].runs].map((x, i) => (i ? String(x).padStart(17) : String(x).padEnd(24))).join(""));
}
console.log(`\ncold wasm / cold CLI: ${(med.current.cold_total_ms / med.cli.cold_total_ms).toFixed(2)}x`);
if (med.base) {
  console.log(`this tree / ${base}: size ${(sizes.current[0] / sizes.base[0]).toFixed(2)}x raw, ${(sizes.current[1] / sizes.base[1]).toFixed(2)}x gzipped; cold verification ${(med.current.cold_total_ms / med.base.cold_total_ms).toFixed(2)}x`);
}
JS
echo "raw results: $results; summary: $out/summary.txt" >&2
