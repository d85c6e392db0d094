// One cold verification by the in-page verifier in a fresh Node.js process
// (the V8 engine Chromium uses): read the module, compile, instantiate and
// start it, verify one bundle, then verify it again (warm). Prints one line
// of JSON with the milliseconds of each phase. scripts/verifier-bench.sh
// runs it in rounds; it is not a test.
//
//   node scripts/verifier-cold.js wasm_exec.js verifier.wasm bundle.json trust.json [chain-id]
"use strict";
const t0 = performance.now();
globalThis.require = require;
globalThis.fs = require("fs");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.crypto ??= require("crypto");
require(require("path").resolve(process.argv[2]));
const [wasmFile, bundleFile, trustFile, chainID = ""] = process.argv.slice(3);
const bundle = fs.readFileSync(bundleFile, "utf8");
const trust = fs.readFileSync(trustFile, "utf8");
(async () => {
  const bytes = fs.readFileSync(wasmFile);
  const t1 = performance.now();
  const mod = await WebAssembly.compile(bytes);
  const t2 = performance.now();
  const go = new Go();
  const instance = await WebAssembly.instantiate(mod, go.importObject);
  go.run(instance);
  while (typeof globalThis.jcreditVerify !== "function") await new Promise((r) => setTimeout(r, 1));
  const t3 = performance.now();
  const first = JSON.parse(globalThis.jcreditVerify(bundle, trust, chainID));
  const t4 = performance.now();
  const again = JSON.parse(globalThis.jcreditVerify(bundle, trust, chainID));
  const t5 = performance.now();
  if (!first.ok || !again.ok) {
    console.error("not verified:", first.step, first.error);
    process.exit(1);
  }
  const ms = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    read_ms: ms(t1 - t0), compile_ms: ms(t2 - t1), start_ms: ms(t3 - t2),
    first_verify_ms: ms(t4 - t3), cold_total_ms: ms(t4 - t0), warm_verify_ms: ms(t5 - t4),
  }));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
