// jcredit public page: search, certificate, proof download and in-page
// verification with the Go verifier compiled to WebAssembly. Everything is
// fetched from this node; nothing from elsewhere.
"use strict";

const I18N = {
  ja: {
    title: "J-クレジット 登録簿", searchLabel: "シリアル番号または無効化IDを検索", search: "検索",
    certificate: "無効化証明", download: "証明をダウンロード", trustRoot: "信頼の起点（バリデータセット）",
    trustHelp: "検証はこのページ内で行われます。既定ではこのノードが報告するジェネシスのバリデータセットを信頼します。公表されたハッシュと照合するか、別のハッシュを入力してください。",
    reverify: "再検証", serialTitle: "クレジットの状態", recentRetirements: "最近の無効化", recentBatches: "最近発行されたバッチ",
    id: "ID", beneficiary: "クレジット利用者", use: "用途", quantity: "数量", category: "区分", vintage: "ヴィンテージ", issued: "発行量",
    footer: "読み取り専用の公開ページです。すべての情報はこのノードから取得され、証明は利用者のブラウザ内で検証されます。",
    account: "無効化口座", beneficiaryAccount: "利用者口座", details: "目的の詳細", fiscalYear: "報告年度", serials: "シリアル番号",
    date: "日時", height: "ブロック高", txHash: "トランザクション", status: "状態", owner: "保有者", batch: "バッチ", retirement: "無効化ID",
    verifying: "検証中…", verified: "✓ 検証済み（ブロック {h}、信頼するバリデータセットの署名）", verifiedChain: "✓ 検証済み（ブロック {h}、信頼の起点から {n} 個の署名済みヘッダー経由）", failed: "✗ 検証失敗：{e}",
    notFound: "見つかりません：{q}", badQuery: "JCR-で始まる無効化ID、またはJC-で始まるシリアル番号を入力してください", loading: "読み込み中…",
    noWasm: "このページの検証機能は利用できません（verifier.wasm がありません）",
    chainId: "チェーンID", statementLabel: "証明された内容（検証器の表現のまま）", walkTitle: "確認した署名済みヘッダー",
    trustUsed: "信頼の起点", walkRoot: "信頼するセットの署名", walkAdjacent: "直前のヘッダーが次のセットとして指定", walkSkip: "直前のセットの投票力 {s}/{p} が署名", walkBefore: "確認済み（信頼の起点より前）", provenBlock: "証明対象のブロック", warning: "注意",
    uses: { USE_GLOBAL_WARMING_ACT: "温対法（調整後排出量）", USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR: "温対法（調整後排出係数）", USE_ENERGY_CONSERVATION_ACT: "省エネ法報告", USE_CARBON_OFFSET: "カーボン・オフセット", USE_CDP: "CDP", USE_SBTI: "SBT", USE_RE100: "RE100", USE_SHIFT_ASSET: "SHIFT・ASSET事業", USE_KEIDANREN: "経団連カーボンニュートラル行動計画", USE_CORSIA: "CORSIA", USE_GX_ETS: "GX-ETS", USE_OTHER: "その他" },
    ruleVersion: "適用ルール（用途表の版）", accountName: "無効化口座の名義", beneficiaryName: "利用者口座の名義", offsetTarget: "オフセット対象", blocks: "無効化したクレジット",
    categories: { CATEGORY_ENERGY_SAVING: "省エネルギー", CATEGORY_RENEWABLE_ELECTRICITY: "再生可能エネルギー（電力）", CATEGORY_RENEWABLE_HEAT: "再生可能エネルギー（熱）", CATEGORY_INDUSTRIAL_PROCESS: "工業プロセス", CATEGORY_AGRICULTURE: "農業", CATEGORY_WASTE: "廃棄物", CATEGORY_FOREST: "森林" },
    statuses: { RANGE_STATUS_ACTIVE: "有効", RANGE_STATUS_RETIRED: "無効化済み", RANGE_STATUS_CANCELLED: "取消済み" },
  },
  en: {
    title: "J-Credit Registry", searchLabel: "Search a serial number or retirement id", search: "Search",
    certificate: "Retirement certificate", download: "Download proof", trustRoot: "Root of trust (validator set)",
    trustHelp: "Verification runs in this page. By default it trusts the genesis validator set this node reports; compare its hash with a published one, or enter another hash.",
    reverify: "Verify again", serialTitle: "Credit status", recentRetirements: "Recent retirements", recentBatches: "Recently issued batches",
    id: "ID", beneficiary: "Beneficiary", use: "Use", quantity: "Quantity", category: "Category", vintage: "Vintage", issued: "Issued",
    footer: "Read-only public page. All data comes from this node; proofs are verified in your browser.",
    account: "Retiring account", beneficiaryAccount: "Beneficiary account", details: "Purpose details", fiscalYear: "Fiscal year", serials: "Serials",
    date: "Date", height: "Block height", txHash: "Transaction", status: "Status", owner: "Holder", batch: "Batch", retirement: "Retirement id",
    verifying: "Verifying…", verified: "✓ Verified (block {h}, signed by the trusted validator set)", verifiedChain: "✓ Verified (block {h}, via {n} signed headers from the root of trust)", failed: "✗ Verification failed: {e}",
    notFound: "Not found: {q}", badQuery: "Enter a retirement id (JCR-…) or a serial number (JC-…)", loading: "Loading…",
    noWasm: "In-page verification is unavailable (verifier.wasm missing)",
    chainId: "Chain id", statementLabel: "What is proven (in the verifier's words)", walkTitle: "Signed headers checked",
    trustUsed: "Root of trust", walkRoot: "signed by the trusted set", walkAdjacent: "named as the next set by the header before", walkSkip: "{s} of the previous set's {p} power signed", walkBefore: "checked (before the root of trust)", provenBlock: "the proven block", warning: "Warning",
    uses: { USE_GLOBAL_WARMING_ACT: "Global Warming Act: adjusted emissions", USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR: "Global Warming Act: adjusted emission factor", USE_ENERGY_CONSERVATION_ACT: "Energy Conservation Act report", USE_CARBON_OFFSET: "Carbon offset", USE_CDP: "CDP", USE_SBTI: "SBT", USE_RE100: "RE100", USE_SHIFT_ASSET: "SHIFT / ASSET", USE_KEIDANREN: "Keidanren Carbon Neutral Action Plan", USE_CORSIA: "CORSIA", USE_GX_ETS: "GX-ETS", USE_OTHER: "Other" },
    ruleVersion: "Rules applied (use table version)", accountName: "Retiring account's legal name", beneficiaryName: "Beneficiary account's legal name", offsetTarget: "Offset target", blocks: "Credits retired",
    categories: { CATEGORY_ENERGY_SAVING: "Energy saving", CATEGORY_RENEWABLE_ELECTRICITY: "Renewable electricity", CATEGORY_RENEWABLE_HEAT: "Renewable heat", CATEGORY_INDUSTRIAL_PROCESS: "Industrial process", CATEGORY_AGRICULTURE: "Agriculture", CATEGORY_WASTE: "Waste", CATEGORY_FOREST: "Forest" },
    statuses: { RANGE_STATUS_ACTIVE: "Active", RANGE_STATUS_RETIRED: "Retired", RANGE_STATUS_CANCELLED: "Cancelled" },
  },
};

let lang = localStorage.getItem("jcredit-lang") || ((navigator.language || "ja").startsWith("ja") ? "ja" : "en");
let current = null; // {kind, subject, bundle}
let wasmReady = null;

const $ = (id) => document.getElementById(id);
const t = (k, vars) => {
  let s = I18N[lang][k] || k;
  for (const [n, v] of Object.entries(vars || {})) s = s.replace("{" + n + "}", v);
  return s;
};

function applyLang() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang-ja").classList.toggle("active", lang === "ja");
  $("lang-en").classList.toggle("active", lang === "en");
  if (current) render(current);
  loadLists();
}

function setLang(l) { lang = l; localStorage.setItem("jcredit-lang", l); applyLang(); }

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { const e = new Error(body.error || res.statusText); e.status = res.status; throw e; }
  return body;
}

function loadWasm() {
  if (!wasmReady) {
    wasmReady = (async () => {
      if (typeof Go === "undefined") throw new Error(t("noWasm"));
      const go = new Go();
      const res = await fetch("verifier.wasm");
      if (!res.ok) throw new Error(t("noWasm"));
      const { instance } = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
      go.run(instance);
      for (let i = 0; i < 100 && typeof globalThis.jcreditVerify !== "function"; i++) await new Promise((r) => setTimeout(r, 20));
      if (typeof globalThis.jcreditVerify !== "function") throw new Error(t("noWasm"));
    })();
  }
  return wasmReady;
}

function fields(dl, rows) {
  dl.replaceChildren();
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === "") continue;
    const dt = document.createElement("dt"); dt.textContent = t(k);
    const dd = document.createElement("dd"); dd.textContent = v; dd.dataset.field = k;
    dl.append(dt, dd);
  }
}

function useName(u) { return (I18N[lang].uses[u]) || u; }
function fmtTime(ts) { return ts ? new Date(ts).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB", { timeZone: "Asia/Tokyo" }) + " JST" : ""; }

// withNumber shows an address with the stable account number the record
// names ("0x… (#7)"): records name accounts by number; the address is the
// key that signed (retirements) or the account's current one (holdings).
function withNumber(addr, num) {
  if (!num || num === "0") return addr || "";
  return (addr ? addr + " " : "") + "(#" + num + ")";
}

// blockLine describes a retired block as a report needs it: serials,
// project, category, vintage, identifiers (制度記号/クレジット種別/認証番号),
// place of creation and energy.
function blockLine(b) {
  const parts = [b.serials, (b.project_id || "") + (b.project_name ? " " + b.project_name : ""),
    I18N[lang].categories[b.category] || b.category || "", (b.vintage_start || "") + "–" + (b.vintage_end || ""),
    [b.scheme_symbol, b.credit_type, b.certification_number].filter(Boolean).join(" / ")];
  if (b.origin && b.origin.prefecture_code) parts.push("JIS " + b.origin.prefecture_code + (b.origin.municipality ? " " + b.origin.municipality : ""));
  if (b.electricity_kwh) parts.push(b.electricity_kwh + " kWh");
  if (b.heat_mj) parts.push(b.heat_mj + " MJ");
  if (b.original_serials) parts.push(b.original_serials);
  return parts.filter(Boolean).join(" · ");
}

function certRows(r) {
  const uses = r.uses || (r.use ? [r.use] : []);
  const target = r.offset_target;
  return [
    ["id", r.id], ["beneficiary", r.beneficiary], ["use", uses.map(useName).join(", ")], ["details", r.details],
    ["offsetTarget", target ? target.name + (target.location ? " (JIS " + target.location.prefecture_code + (target.location.municipality ? " " + target.location.municipality : "") + ")" : "") : ""],
    ["fiscalYear", r.fiscal_year ?? r.fiscalYear], ["quantity", r.quantity],
    ["serials", (r.blocks || []).map((b) => b.serials).join("\n")], ["blocks", (r.blocks || []).map(blockLine).join("\n")],
    ["ruleVersion", r.rule_version ?? "0"], ["date", fmtTime(r.time)],
    ["height", r.height], ["account", withNumber(r.account, r.account_number ?? r.accountNumber)], ["accountName", r.account_legal_name],
    ["beneficiaryAccount", withNumber(r.beneficiary_account ?? r.beneficiaryAccount, r.beneficiary_account_number ?? r.beneficiaryAccountNumber)],
    ["beneficiaryName", r.beneficiary_legal_name], ["txHash", r.tx_hash ?? r.txHash],
  ];
}

function render(c) {
  $("certificate").hidden = !c.retirement;
  $("serial").hidden = c.kind !== "serial";
  if (c.retirement) fields($("cert-fields"), certRows(c.retirement));
  if (c.kind === "serial") {
    const s = c.serial;
    const rng = s.range || {};
    const owner = (s.accounts || []).find((a) => a.number === rng.owner_account) || {};
    fields($("serial-fields"), [
      ["serials", s.serial], ["status", I18N[lang].statuses[rng.status] || rng.status], ["owner", withNumber(owner.address, rng.owner_account)],
      ["batch", rng.batch_id ?? rng.batchId], ["retirement", rng.retirement_id ?? rng.retirementId],
    ]);
    $("certificate").hidden = false;
    if (!c.retirement) $("cert-fields").replaceChildren();
  }
  $("download").href = "api/v1/proofs/" + c.kind + "/" + encodeURIComponent(c.subject) + "?download=1";
  showVerify();
}

// showVerify shows the verifier's verdict: a status line in the page's
// language, then the statement exactly as the verifier words it (the same
// words as jcreditd verify and the API), the trust root and every header
// the verifier walked.
function showVerify() {
  const el = $("verify-status");
  const detail = $("verify-detail");
  detail.hidden = true;
  if (!current || !current.verify) { el.dataset.state = "idle"; el.textContent = ""; return; }
  const v = current.verify;
  el.dataset.state = v.state;
  el.textContent = v.state === "verifying" ? t("verifying") : v.state === "verified" ? t(v.chain > 0 ? "verifiedChain" : "verified", { h: v.height, n: v.chain }) : t("failed", { e: v.error });
  if (v.state !== "verified") return;
  const r = v.result;
  $("verify-statement").textContent = r.statement;
  $("verify-trust").textContent = t("trustUsed") + ": " + r.trust.source + " " + r.trust.validators_hash + " (" + r.trust.chain_id + ")";
  const ol = $("verify-walk"); ol.replaceChildren();
  for (const [i, l] of r.walk.entries()) {
    const how = { "trust root": t("walkRoot"), adjacent: t("walkAdjacent"), skip: t("walkSkip", { s: l.trusted_signed, p: l.trusted_power }), "before root": t("walkBefore") }[l.how] || l.how;
    const li = document.createElement("li");
    li.textContent = "#" + l.block + " " + fmtTime(l.time) + " — " + l.signed_power + "/" + l.power + " — " + how + (i === r.walk.length - 1 ? " (" + t("provenBlock") + ")" : "");
    ol.append(li);
  }
  $("verify-warnings").textContent = (r.warnings || []).map((w) => t("warning") + ": " + w).join("\n");
  detail.hidden = false;
}

async function verifyCurrent() {
  if (!current) return;
  current.verify = { state: "verifying" }; showVerify();
  try {
    const [bundle] = await Promise.all([
      current.bundle ? Promise.resolve(current.bundle) : fetch("api/v1/proofs/" + current.kind + "/" + encodeURIComponent(current.subject)).then(async (r) => {
        const txt = await r.text(); if (!r.ok) throw new Error(JSON.parse(txt).error || r.statusText); return txt;
      }),
      loadWasm(),
    ]);
    current.bundle = bundle;
    const out = JSON.parse(globalThis.jcreditVerify(bundle, $("trust").value.trim(), $("chain-id").value.trim()));
    current.verify = out.ok ? { state: "verified", height: out.result.block_height, chain: out.result.chain_length, result: out.result } : { state: "failed", error: out.error };
  } catch (e) {
    current.verify = { state: "failed", error: e.message };
  }
  showVerify();
}

async function search(q) {
  q = q.trim();
  $("message").textContent = "";
  if (!q) return;
  location.hash = "#/" + encodeURIComponent(q);
  try {
    if (/^JCR-/i.test(q)) {
      const r = (await getJSON("api/v1/retirements/" + encodeURIComponent(q.toUpperCase()))).retirement;
      current = { kind: "retirement", subject: r.id, retirement: r };
    } else if (/^JC-/i.test(q)) {
      const s = await getJSON("api/v1/serials/" + encodeURIComponent(q.toUpperCase()));
      current = { kind: "serial", subject: s.serial, serial: s, retirement: s.retirement || null };
    } else {
      $("message").textContent = t("badQuery"); return;
    }
  } catch (e) {
    current = null; $("certificate").hidden = true; $("serial").hidden = true;
    $("message").textContent = e.status === 404 ? t("notFound", { q }) : e.message; return;
  }
  render(current);
  verifyCurrent();
}

function link(text, q) {
  const a = document.createElement("a"); a.href = "#/" + encodeURIComponent(q); a.textContent = text;
  a.addEventListener("click", (ev) => { ev.preventDefault(); $("q").value = q; search(q); });
  return a;
}

function row(tbody, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement("td"); if (c instanceof Node) td.append(c); else td.textContent = c ?? ""; tr.append(td); }
  tbody.append(tr);
}

async function loadLists() {
  try {
    const r = await getJSON("api/v1/retirements?reverse=true&limit=10");
    const tb = $("retirements").querySelector("tbody"); tb.replaceChildren();
    for (const x of r.retirements || []) row(tb, [link(x.id, x.id), x.beneficiary, (x.uses || (x.use ? [x.use] : [])).map(useName).join(", "), x.quantity]);
  } catch (e) { /* lists are a convenience */ }
  try {
    const b = await getJSON("api/v1/batches?reverse=true&limit=10");
    const tb = $("batches").querySelector("tbody"); tb.replaceChildren();
    for (const x of b.batches || []) row(tb, [x.id, I18N[lang].categories[x.category] || x.category, (x.vintage_start ?? x.vintageStart ?? "") + " – " + (x.vintage_end ?? x.vintageEnd ?? ""), x.issued]);
  } catch (e) { /* idem */ }
}

async function loadTrust() {
  try {
    const tr = await getJSON("api/v1/trust");
    if (!$("trust").value) $("trust").value = tr.validators_hash;
    if (!$("chain-id").value) $("chain-id").value = tr.chain_id;
  } catch (e) { /* verification will say */ }
}

$("lang-ja").addEventListener("click", () => setLang("ja"));
$("lang-en").addEventListener("click", () => setLang("en"));
$("search").addEventListener("submit", (ev) => { ev.preventDefault(); search($("q").value); });
$("reverify").addEventListener("click", () => { if (current) { current.verify = null; verifyCurrent(); } });

applyLang();
loadTrust().then(() => {
  const h = decodeURIComponent(location.hash.replace(/^#\//, ""));
  if (h) { $("q").value = h; search(h); }
});
