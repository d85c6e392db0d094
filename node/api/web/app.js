// jcredit public page: the registry's statistics, projects, batches,
// accounts, retirements and cancellations; search; the printable
// retirement certificate; proof download and in-page verification by the Go
// verifier compiled to WebAssembly (loaded only when a proof is checked).
// Everything is fetched from this node; nothing from elsewhere (the page's
// CSP forbids it). Text is always set with textContent, never as HTML.
"use strict";

const I18N = {
  ja: {
    title: "J-クレジット 登録簿", searchLabel: "シリアル番号・無効化ID・プロジェクト・バッチ・口座名で検索", search: "検索",
    navHome: "ホーム", navProjects: "プロジェクト", navRetirements: "無効化", navCancellations: "取消", navVerify: "証明を検証",
    certificate: "無効化証明", certRegistry: "J-クレジット制度 登録簿（ブロックチェーン上の記録）", download: "証明をダウンロード", trustRoot: "信頼の起点（バリデータセット）",
    trustHelp: "検証はこのページ内で行われます。既定ではこのノードが報告するジェネシスのバリデータセットを信頼します。公表されたハッシュと照合するか、別のハッシュを入力してください。",
    reverify: "再検証", verifyHere: "このブラウザで検証", proofTitle: "証明と検証", serialTitle: "クレジットの状態", recentRetirements: "最近の無効化", recentBatches: "最近発行されたバッチ",
    allRetirements: "すべての無効化（絞り込み・CSV）", allProjects: "すべてのプロジェクト", statistics: "統計",
    id: "ID", beneficiary: "クレジット利用者", use: "用途", quantity: "数量", category: "区分", vintage: "ヴィンテージ", issued: "発行量",
    footer: "読み取り専用の公開ページです。すべての情報はこのノードから取得され、証明は利用者のブラウザ内で検証されます。",
    account: "無効化口座", beneficiaryAccount: "利用者口座", details: "目的の詳細", fiscalYear: "報告年度", serials: "シリアル番号",
    date: "日時", height: "ブロック高", txHash: "トランザクション", status: "状態", owner: "保有者", batch: "バッチ", retirement: "無効化ID", cancellation: "取消ID",
    verifying: "検証中…", verified: "✓ 検証済み（ブロック {h}、信頼するバリデータセットの署名）", verifiedChain: "✓ 検証済み（ブロック {h}、信頼の起点から {n} 個の署名済みヘッダー経由）", failed: "✗ 検証失敗：{e}",
    badge: "✓ 検証済み", badgeFailed: "✗ 未検証", badgeVerifying: "検証中…",
    notFound: "見つかりません：{q}", loading: "読み込み中…",
    noWasm: "このページの検証機能は利用できません（verifier.wasm がありません）",
    chainId: "チェーンID", statementLabel: "証明された内容（検証器の表現のまま）", walkTitle: "確認した署名済みヘッダー",
    trustUsed: "信頼の起点", walkRoot: "信頼するセットの署名", walkAdjacent: "直前のヘッダーが次のセットとして指定", walkSkip: "直前のセットの投票力 {s}/{p} が署名", walkBefore: "確認済み（信頼の起点より前）", provenBlock: "証明対象のブロック", warning: "注意",
    ruleVersion: "適用ルール（用途表の版）", accountName: "無効化口座の名義", beneficiaryName: "利用者口座の名義", offsetTarget: "オフセット対象", blocks: "無効化したクレジット",
    project: "プロジェクト", methodology: "方法論", identifiers: "識別子（制度記号／クレジット種別／認証番号）", print: "印刷（A4）",
    certProofUrl: "証明ファイルのURL", certTrust: "検証の信頼の起点（バリデータセットのハッシュ）",
    certHowto: "この証明書の内容は、QRコードの証明ファイルを jcreditd verify または本ページの「証明を検証」で上記ハッシュに対して検証することで、いつでも確認できます。",
    dropTitle: "証明ファイル（proof.json）を検証", dropHelp: "proof.json をここにドロップするか、ファイルを選択してください。検証はこのブラウザ内で行われます。",
    dropNotJSON: "JSON ファイルではありません：{e}", dropTooBig: "ファイルが大きすぎます（上限 8 MiB）", dropOpen: "記録のページを開く",
    projects: "プロジェクト", name: "名称", operator: "事業者", location: "実施場所", kind: "種別", members: "参加者（プログラム型）", share: "配分",
    site: "実施サイト", history: "状態の履歴", actor: "実施者", reason: "理由", documents: "文書ハッシュ", planHash: "プロジェクト計画書", reports: "モニタリング報告",
    period: "期間", claimed: "申請量", verifiedT: "検証量", documentHash: "報告書ハッシュ", batches: "発行されたバッチ", crediting: "認証対象期間", expected: "想定削減量",
    supply: "数量の内訳", active: "有効", retired: "無効化済み", cancelled: "取消済み", locked: "ロック中", report: "モニタリング報告", origin: "創出地",
    labels: "ラベル", issuance: "発行", ranges: "シリアル範囲と状態", holder: "保有者", more: "さらに表示", energy: "エネルギー量", legacy: "移行元",
    legalName: "法人名・氏名", number: "口座番号", address: "アドレス", previousAddresses: "以前のアドレス", entityKind: "主体の種類", country: "国", roles: "役割", opened: "開設",
    publicRetirements: "この口座による無効化", beneficiaryRetirements: "この口座を利用者とする無効化", none: "なし",
    filter: "絞り込み", clear: "クリア", csv: "CSVをダウンロード", jsonl: "JSON Lines", fromDate: "開始日", toDate: "終了日", any: "（すべて）",
    ministry: "取消した省庁", cancellations: "取消", retirements: "無効化", prefecture: "都道府県（JISコード）",
    searchResults: "検索結果：{q}", accounts: "口座", noResults: "該当するものはありません。", searchNote: "名称の検索結果は各一覧の最初の {n} 件を表示しています。",
    table: "表で見る", retirementsCount: "無効化件数", vintage_year: "ヴィンテージ年", fiscal_year: "報告年度", prefectureCol: "都道府県", accountTotals: "用途・年度別の無効化量（この口座のため）", allUses: "すべての用途",
    total: "合計", whole: "ブロック全体", statsUnavailable: "統計はまだ提供されていません（このノードに /api/v1/stats がありません）。",
    byCategory: "区分別", byVintage: "ヴィンテージ年別", byFiscalYear: "報告年度別（無効化）", byUse: "用途別（無効化）", byMethodology: "方法論別", byPrefecture: "都道府県別", projectsByStatus: "状態別のプロジェクト数",
    timing: "検証器の読み込み {l} ms、検証 {v} ms（{b} バイト）",
    uses: { USE_GLOBAL_WARMING_ACT: "温対法（調整後排出量）", USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR: "温対法（調整後排出係数）", USE_ENERGY_CONSERVATION_ACT: "省エネ法報告", USE_CARBON_OFFSET: "カーボン・オフセット", USE_CDP: "CDP", USE_SBTI: "SBT", USE_RE100: "RE100", USE_SHIFT_ASSET: "SHIFT・ASSET事業", USE_KEIDANREN: "経団連カーボンニュートラル行動計画", USE_CORSIA: "CORSIA", USE_GX_ETS: "GX-ETS", USE_OTHER: "その他" },
    categories: { CATEGORY_ENERGY_SAVING: "省エネルギー", CATEGORY_RENEWABLE_ELECTRICITY: "再生可能エネルギー（電力）", CATEGORY_RENEWABLE_HEAT: "再生可能エネルギー（熱）", CATEGORY_INDUSTRIAL_PROCESS: "工業プロセス", CATEGORY_AGRICULTURE: "農業", CATEGORY_WASTE: "廃棄物", CATEGORY_FOREST: "森林" },
    statuses: { RANGE_STATUS_ACTIVE: "有効", RANGE_STATUS_RETIRED: "無効化済み", RANGE_STATUS_CANCELLED: "取消済み", RANGE_STATUS_LOCKED: "ロック中" },
    projectStatuses: { PROJECT_STATUS_SUBMITTED: "申請中", PROJECT_STATUS_VALIDATED: "妥当性確認済み", PROJECT_STATUS_REGISTERED: "登録済み", PROJECT_STATUS_REJECTED: "却下", PROJECT_STATUS_TERMINATED: "終了" },
    reportStatuses: { REPORT_STATUS_SUBMITTED: "提出済み", REPORT_STATUS_VERIFIED: "検証済み", REPORT_STATUS_CERTIFIED: "認証済み", REPORT_STATUS_REJECTED: "却下" },
    projectKinds: { PROJECT_KIND_STANDARD: "通常型", PROJECT_KIND_PROGRAM: "プログラム型" },
    entityKinds: { ENTITY_KIND_CORPORATION: "法人", ENTITY_KIND_LOCAL_GOVERNMENT: "地方公共団体", ENTITY_KIND_INDIVIDUAL: "個人", ENTITY_KIND_FOREIGN_ENTITY: "外国法人", ENTITY_KIND_GOVERNMENT: "国の機関" },
    roleNames: { ROLE_MINISTRY: "所管省庁", ROLE_SECRETARIAT: "事務局", ROLE_VERIFIER: "検証機関", ROLE_PROVIDER: "仲介事業者", ROLE_CREATOR: "創出者", ROLE_HOLDER: "保有者", ROLE_SETTLEMENT: "決済機関" },
    accountStatuses: { ACCOUNT_STATUS_ACTIVE: "有効", ACCOUNT_STATUS_SUSPENDED: "停止中", ACCOUNT_STATUS_CLOSED: "閉鎖" },
    labelKinds: { LABEL_KIND_CORSIA_ELIGIBLE: "CORSIA適格", LABEL_KIND_CORRESPONDING_ADJUSTMENT: "相当調整", LABEL_KIND_ARTICLE6_AUTHORIZED: "パリ協定6条承認", LABEL_KIND_ICVCM_CCP: "ICVCM CCP" },
    navOffers: "売り出しクレジット", offers: "売り出しクレジット一覧", price: "価格（円／t-CO2）", priceOnRequest: "応相談", contact: "連絡先", available: "現在引渡し可能",
    offersNote: "保有者が公開した売り出し情報です。代金の支払いはこの登録簿の外で行われます。",
    lock: "ロック", lockedFor: "{agent} のためにロック中（ブロック {h} まで、{id}）", transferOffered: "{agent} への移転の申出中（承諾期限 ブロック {h}、{id}）",
    gxTitle: "GX-ETS 対象事業者の遵守状況", corporateNumber: "法人番号", verifiedEmissions: "検証済み排出量", cap: "使用上限", gxRetired: "GX-ETS のための無効化量", remaining: "残りの使用可能量",
    gxShow: "表示", gxVerify: "この年度の証明を検証", gxNoEmissions: "この年度の検証済み排出量は記録されていません",
  },
  en: {
    title: "J-Credit Registry", searchLabel: "Search a serial, retirement id, project, batch or account name", search: "Search",
    navHome: "Home", navProjects: "Projects", navRetirements: "Retirements", navCancellations: "Cancellations", navVerify: "Verify a proof",
    certificate: "Retirement certificate", certRegistry: "J-Credit Scheme registry (a record on its blockchain)", download: "Download proof", trustRoot: "Root of trust (validator set)",
    trustHelp: "Verification runs in this page. By default it trusts the genesis validator set this node reports; compare its hash with a published one, or enter another hash.",
    reverify: "Verify again", verifyHere: "Verify in this browser", proofTitle: "Proof and verification", serialTitle: "Credit status", recentRetirements: "Recent retirements", recentBatches: "Recently issued batches",
    allRetirements: "All retirements (filters, CSV)", allProjects: "All projects", statistics: "Statistics",
    id: "ID", beneficiary: "Beneficiary", use: "Use", quantity: "Quantity", category: "Category", vintage: "Vintage", issued: "Issued",
    footer: "Read-only public page. All data comes from this node; proofs are verified in your browser.",
    account: "Retiring account", beneficiaryAccount: "Beneficiary account", details: "Purpose details", fiscalYear: "Fiscal year", serials: "Serials",
    date: "Date", height: "Block height", txHash: "Transaction", status: "Status", owner: "Holder", batch: "Batch", retirement: "Retirement id", cancellation: "Cancellation id",
    verifying: "Verifying…", verified: "✓ Verified (block {h}, signed by the trusted validator set)", verifiedChain: "✓ Verified (block {h}, via {n} signed headers from the root of trust)", failed: "✗ Verification failed: {e}",
    badge: "✓ Verified", badgeFailed: "✗ Not verified", badgeVerifying: "Verifying…",
    notFound: "Not found: {q}", loading: "Loading…",
    noWasm: "In-page verification is unavailable (verifier.wasm missing)",
    chainId: "Chain id", statementLabel: "What is proven (in the verifier's words)", walkTitle: "Signed headers checked",
    trustUsed: "Root of trust", walkRoot: "signed by the trusted set", walkAdjacent: "named as the next set by the header before", walkSkip: "{s} of the previous set's {p} power signed", walkBefore: "checked (before the root of trust)", provenBlock: "the proven block", warning: "Warning",
    ruleVersion: "Rules applied (use table version)", accountName: "Retiring account's legal name", beneficiaryName: "Beneficiary account's legal name", offsetTarget: "Offset target", blocks: "Credits retired",
    project: "Project", methodology: "Methodology", identifiers: "Identifiers (scheme symbol / credit type / certification no.)", print: "Print (A4)",
    certProofUrl: "Proof file URL", certTrust: "Root of trust of the verification (validator-set hash)",
    certHowto: "Anyone can check this certificate at any time: download the proof file from the QR code and verify it against the hash above with jcreditd verify or this page's \"Verify a proof\".",
    dropTitle: "Verify a proof file (proof.json)", dropHelp: "Drop a proof.json here or choose the file. It is verified in this browser.",
    dropNotJSON: "Not a JSON file: {e}", dropTooBig: "File too large (at most 8 MiB)", dropOpen: "Open the record's page",
    projects: "Projects", name: "Name", operator: "Operator", location: "Location", kind: "Kind", members: "Members (program-type project)", share: "Share",
    site: "Site", history: "Status history", actor: "By", reason: "Reason", documents: "Document hashes", planHash: "Project plan", reports: "Monitoring reports",
    period: "Period", claimed: "Claimed", verifiedT: "Verified", documentHash: "Report hash", batches: "Batches issued", crediting: "Crediting period", expected: "Expected reductions",
    supply: "Supply", active: "Active", retired: "Retired", cancelled: "Cancelled", locked: "Locked", report: "Monitoring report", origin: "Place of creation",
    labels: "Labels", issuance: "Issuance", ranges: "Serial ranges and their status", holder: "Holder", more: "Show more", energy: "Energy", legacy: "Migrated from",
    legalName: "Legal name", number: "Account number", address: "Address", previousAddresses: "Previous addresses", entityKind: "Kind of entity", country: "Country", roles: "Roles", opened: "Opened",
    publicRetirements: "Retirements by this account", beneficiaryRetirements: "Retirements for this account as beneficiary", none: "none",
    filter: "Filter", clear: "Clear", csv: "Download CSV", jsonl: "JSON Lines", fromDate: "From", toDate: "To", any: "(any)",
    ministry: "Cancelled by", cancellations: "Cancellations", retirements: "Retirements", prefecture: "Prefecture (JIS code)",
    searchResults: "Search results: {q}", accounts: "Accounts", noResults: "Nothing matches.", searchNote: "Each list shows its first {n} name matches.",
    table: "As a table", retirementsCount: "Retirements", vintage_year: "Vintage year", fiscal_year: "Fiscal year", prefectureCol: "Prefecture", accountTotals: "Retired for this account by use and fiscal year", allUses: "every use",
    total: "Total", whole: "whole block", statsUnavailable: "Statistics are not available yet (this node has no /api/v1/stats).",
    byCategory: "By category", byVintage: "By vintage year", byFiscalYear: "Retired by fiscal year", byUse: "Retired by use", byMethodology: "By methodology", byPrefecture: "By prefecture", projectsByStatus: "Projects by status",
    timing: "verifier loaded in {l} ms, verified in {v} ms ({b} bytes)",
    uses: { USE_GLOBAL_WARMING_ACT: "Global Warming Act: adjusted emissions", USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR: "Global Warming Act: adjusted emission factor", USE_ENERGY_CONSERVATION_ACT: "Energy Conservation Act report", USE_CARBON_OFFSET: "Carbon offset", USE_CDP: "CDP", USE_SBTI: "SBT", USE_RE100: "RE100", USE_SHIFT_ASSET: "SHIFT / ASSET", USE_KEIDANREN: "Keidanren Carbon Neutral Action Plan", USE_CORSIA: "CORSIA", USE_GX_ETS: "GX-ETS", USE_OTHER: "Other" },
    categories: { CATEGORY_ENERGY_SAVING: "Energy saving", CATEGORY_RENEWABLE_ELECTRICITY: "Renewable electricity", CATEGORY_RENEWABLE_HEAT: "Renewable heat", CATEGORY_INDUSTRIAL_PROCESS: "Industrial process", CATEGORY_AGRICULTURE: "Agriculture", CATEGORY_WASTE: "Waste", CATEGORY_FOREST: "Forest" },
    statuses: { RANGE_STATUS_ACTIVE: "Active", RANGE_STATUS_RETIRED: "Retired", RANGE_STATUS_CANCELLED: "Cancelled", RANGE_STATUS_LOCKED: "Locked" },
    projectStatuses: { PROJECT_STATUS_SUBMITTED: "Submitted", PROJECT_STATUS_VALIDATED: "Validated", PROJECT_STATUS_REGISTERED: "Registered", PROJECT_STATUS_REJECTED: "Rejected", PROJECT_STATUS_TERMINATED: "Terminated" },
    reportStatuses: { REPORT_STATUS_SUBMITTED: "Submitted", REPORT_STATUS_VERIFIED: "Verified", REPORT_STATUS_CERTIFIED: "Certified", REPORT_STATUS_REJECTED: "Rejected" },
    projectKinds: { PROJECT_KIND_STANDARD: "Standard", PROJECT_KIND_PROGRAM: "Program" },
    entityKinds: { ENTITY_KIND_CORPORATION: "Corporation", ENTITY_KIND_LOCAL_GOVERNMENT: "Local government", ENTITY_KIND_INDIVIDUAL: "Individual", ENTITY_KIND_FOREIGN_ENTITY: "Foreign entity", ENTITY_KIND_GOVERNMENT: "Government body" },
    roleNames: { ROLE_MINISTRY: "Ministry", ROLE_SECRETARIAT: "Secretariat", ROLE_VERIFIER: "Verification body", ROLE_PROVIDER: "Provider", ROLE_CREATOR: "Creator", ROLE_HOLDER: "Holder", ROLE_SETTLEMENT: "Settlement agent" },
    accountStatuses: { ACCOUNT_STATUS_ACTIVE: "Active", ACCOUNT_STATUS_SUSPENDED: "Suspended", ACCOUNT_STATUS_CLOSED: "Closed" },
    labelKinds: { LABEL_KIND_CORSIA_ELIGIBLE: "CORSIA eligible", LABEL_KIND_CORRESPONDING_ADJUSTMENT: "Corresponding adjustment", LABEL_KIND_ARTICLE6_AUTHORIZED: "Article 6 authorized", LABEL_KIND_ICVCM_CCP: "ICVCM CCP" },
    navOffers: "Credits for sale", offers: "Credits for sale", price: "Price (yen / t-CO2)", priceOnRequest: "on request", contact: "Contact", available: "Deliverable now",
    offersNote: "Offers their holders published. Payment happens outside this registry.",
    lock: "Lock", lockedFor: "LOCKED for {agent} until block {h} ({id})", transferOffered: "Transfer offered to {agent}, to accept by block {h} ({id})",
    gxTitle: "GX-ETS operator's compliance", corporateNumber: "Corporate number", verifiedEmissions: "Verified emissions", cap: "Cap", gxRetired: "Retired for GX-ETS", remaining: "Remaining",
    gxShow: "Show", gxVerify: "Verify this year's proof", gxNoEmissions: "no verified emissions recorded for this year",
  },
};

// The language: ?lang=ja|en (shareable), else the last choice, else the
// browser's.
function initialLang() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q === "ja" || q === "en") return q;
  const saved = localStorage.getItem("jcredit-lang");
  if (saved === "ja" || saved === "en") return saved;
  return (navigator.language || "ja").toLowerCase().startsWith("ja") ? "ja" : "en";
}
let lang = initialLang();
let current = null; // the record whose proof the panel offers: {kind, subject, bundle, verify}
let wasmReady = null;
let gen = 0; // bumped by each navigation; a slower answer of an older page is dropped

const $ = (id) => document.getElementById(id);
const t = (k, vars) => {
  let s = I18N[lang][k] ?? k;
  for (const [n, v] of Object.entries(vars || {})) s = s.replace("{" + n + "}", v);
  return s;
};
const enumName = (table, v) => (v === undefined || v === null || v === "") ? "" : (I18N[lang][table][v] || v);

// h builds an element; children are nodes or text (never HTML).
function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "data") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}
const a = (href, text, attrs) => h("a", { href, ...attrs }, text);
const enc = encodeURIComponent;

function applyLang() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang-ja").classList.toggle("active", lang === "ja");
  $("lang-en").classList.toggle("active", lang === "en");
}

// setLang switches the language and puts it in the URL (?lang=), so that a
// shared link opens in the same language.
function setLang(l) {
  lang = l;
  localStorage.setItem("jcredit-lang", l);
  const u = new URL(location.href);
  u.searchParams.set("lang", l);
  history.replaceState(null, "", u);
  applyLang();
  route();
}

class APIError extends Error {
  constructor(msg, status) { super(msg); this.status = status; }
}

// getJSON fetches an API answer; an error carries the API's own message
// (its 404s say what is missing and why), never a bare status text.
async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new APIError(body.error || (res.status + " " + res.statusText), res.status);
  return body;
}

// ---------------------------------------------------------------- formats

function fmtTime(ts) { return ts ? new Date(ts).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB", { timeZone: "Asia/Tokyo" }) + " JST" : ""; }
function fmtNum(n) { return n === undefined || n === null || n === "" ? "" : Number(n).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB"); }
function useName(u) { return enumName("uses", u); }
function usesOf(r) { return (r.uses && r.uses.length ? r.uses : (r.use ? [r.use] : [])).map(useName).join(", "); }
function vintage(x) { return x.vintage_start || x.vintage_end ? (x.vintage_start || "") + " – " + (x.vintage_end || "") : ""; }
function identifiers(x) { return [x.scheme_symbol, x.credit_type, x.certification_number].filter(Boolean).join(" / "); }
function place(loc) {
  if (!loc || !loc.prefecture_code) return "";
  return "JIS " + loc.prefecture_code + (loc.municipality ? " " + loc.municipality : "") + (loc.municipality_code ? " (" + loc.municipality_code + ")" : "");
}
function labelsText(ls) {
  return (ls || []).map((l) => enumName("labelKinds", l.kind) + (l.corsia_phase ? " " + l.corsia_phase.replace("CORSIA_PHASE_", "") : "") + (l.adjustment ? " " + l.adjustment.replace("ADJUSTMENT_STATUS_", "") : "")).join(", ");
}

// refsOf indexes an answer's "accounts" (number -> {address, legal_name}).
function refsOf(ans) {
  const m = new Map();
  for (const r of (ans && ans.accounts) || []) m.set(String(r.number), r);
  return m;
}

// acct shows an account by its legal name, linked to its page (where its
// address is); the address is also the link's title.
function acct(num, refs, fallbackName) {
  if (!num || num === "0") return fallbackName || "";
  const r = refs && refs.get(String(num));
  const name = (r && r.legal_name) || fallbackName || "#" + num;
  return a("#/account/" + enc(num), name, { class: "acct", title: (r && r.address) || "" });
}

// nameOf resolves an address (history actors are addresses) to a link
// with the account's legal name; cached per page load.
const nameCache = new Map();
function actorLink(addr) {
  const span = h("span", {}, addr || "");
  if (!addr) return span;
  if (!nameCache.has(addr)) nameCache.set(addr, getJSON("api/v1/accounts/" + enc(addr)).then((x) => x.account).catch(() => null));
  nameCache.get(addr).then((acc) => {
    if (acc) span.replaceChildren(a("#/account/" + enc(acc.number), acc.legal_name || addr, { class: "acct", title: addr }));
  });
  return span;
}

// fields fills a <dl>: rows of [label key, value]; a value is text or a
// node; empty ones are left out. Each <dd> is named by data-field.
function fields(dl, rows) {
  dl.replaceChildren();
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) continue;
    dl.append(h("dt", {}, t(k)), h("dd", { data: { field: k } }, v));
  }
  return dl;
}
const dl = (rows) => fields(h("dl"), rows);

function table(heads, rows, attrs) {
  return h("table", attrs || {}, h("thead", {}, h("tr", {}, heads.map((k) => h("th", {}, t(k))))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c ?? ""))))));
}

// ------------------------------------------------------------------ views

const SECTIONS = ["home", "page", "serial", "certificate", "verify-drop", "proof"];
function show(...ids) {
  for (const s of SECTIONS) $(s).hidden = !ids.includes(s);
}
function page(title, ...body) {
  $("page-title").textContent = title;
  $("page-body").replaceChildren(...body);
  show("page");
}
function fail(e, q) {
  show();
  // The API's message says what is missing and why (e.g. the batch does
  // not exist); a network failure has none.
  $("message").textContent = e instanceof APIError ? (e.status === 404 ? t("notFound", { q }) + " — " + e.message : e.message) : String(e.message || e);
}

// route renders the view the hash names: #/, #/projects, #/project/ID,
// #/batch/ID, #/account/N, #/serial/S, #/retirement/ID, #/cancellation/ID,
// #/retirements?filters, #/cancellations?filters, #/offers?filters,
// #/verify, #/search/Q;
// any other #/X is searched (old links: #/JCR-…, #/JC-…).
async function route() {
  const my = ++gen;
  window.__route = location.hash; // what is being shown (tests wait for it)
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, qs] = raw.split("?");
  const parts = path.split("/").map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const params = new URLSearchParams(qs || "");
  $("message").textContent = "";
  current = null;
  showVerify(); // a previous record's verdict must not stand for the next one
  const views = {
    "": home, projects: () => projectsPage(params), project: () => projectPage(parts[1]), batch: () => batchPage(parts[1]),
    account: () => accountPage(parts[1], params), serial: () => serialPage(parts[1]), retirement: () => retirementPage(parts[1]),
    cancellation: () => cancellationPage(parts[1]), retirements: () => retirementsPage(params), cancellations: () => cancellationsPage(params),
    offers: () => offersPage(params), verify: verifyPage, search: () => searchPage(parts.slice(1).join("/")),
  };
  const view = views[parts[0]];
  try {
    if (view) await view(my);
    else { go(classify(parts.join("/"))); }
  } catch (e) {
    if (my === gen) fail(e, parts.slice(1).join("/") || parts[0]);
  }
}
const stale = (my) => my !== gen;
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }

// classify maps what was typed in the search box to a page.
function classify(q) {
  q = q.trim();
  const u = q.toUpperCase();
  if (/^JCR-\d+$/.test(u)) return "#/retirement/" + enc(u);
  if (/^JCX-\d+$/.test(u)) return "#/cancellation/" + enc(u);
  if (/^JCP-\d+$/.test(u)) return "#/project/" + enc(u);
  if (/^JC-\d+$/.test(u)) return "#/batch/" + enc(u);
  if (/^JC-\d+-[A-Z]{2}-\d{4}-\d+(-\d+)?$/.test(u)) return "#/serial/" + enc(u);
  if (/^0X[0-9A-F]{40}$/.test(u) || /^\d+$/.test(q)) return "#/account/" + enc(q);
  return "#/search/" + enc(q);
}

// ------------------------------------------------------------------- home

async function home(my) {
  show("home");
  loadStats(my);
  const [r, b] = await Promise.all([
    getJSON("api/v1/retirements?reverse=true&limit=10").catch(() => ({})),
    // The newest batches: the API walks the list backwards (no cap).
    getJSON("api/v1/batches?reverse=true&limit=10").catch(() => ({})),
  ]);
  if (stale(my)) return;
  const refs = refsOf(r);
  $("retirements").querySelector("tbody").replaceChildren(...(r.retirements || []).map((x) => h("tr", {},
    h("td", {}, a("#/retirement/" + enc(x.id), x.id)), h("td", {}, x.beneficiary_account_number && x.beneficiary_account_number !== "0" ? acct(x.beneficiary_account_number, refs, x.beneficiary) : x.beneficiary),
    h("td", {}, usesOf(x)), h("td", { class: "num" }, fmtNum(x.quantity)))));
  $("batches").querySelector("tbody").replaceChildren(...(b.batches || []).map((x) => h("tr", {},
    h("td", {}, a("#/batch/" + enc(x.id), x.id)), h("td", {}, x.project_id ? a("#/project/" + enc(x.project_id), x.project_name || x.project_id) : ""),
    h("td", {}, enumName("categories", x.category)), h("td", { class: "num" }, fmtNum(x.issued)))));
}

// ------------------------------------------------------------ statistics

// barChart draws rows [{label, value, parts?}] as horizontal bars in plain
// SVG (no script from elsewhere; the CSP forbids it): one bar per row, or
// stacked parts [{value, cls}] (issued split into active, retired,
// cancelled).
function barChart(title, rows, legend) {
  const NS = "http://www.w3.org/2000/svg";
  const max = Math.max(1, ...rows.map((r) => Number(r.value) || 0));
  const rowH = 22, labelW = 210, barW = 360, numW = 90;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${labelW + barW + numW} ${rows.length * rowH + 4}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  const el = (name, attrs, text) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  rows.forEach((r, i) => {
    const y = i * rowH + 2;
    el("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "chart-label" }, r.label);
    let x = labelW;
    for (const p of r.parts || [{ value: r.value, cls: "bar" }]) {
      const w = (Number(p.value) || 0) / max * barW;
      if (w > 0) el("rect", { x, y: y + 3, width: Math.max(w, 1), height: rowH - 7, class: p.cls }).append(Object.assign(document.createElementNS(NS, "title"), { textContent: fmtNum(p.value) }));
      x += w;
    }
    el("text", { x: labelW + barW + 6, y: y + 15, class: "chart-num" }, fmtNum(r.value));
  });
  const fig = h("figure", { class: "chart-fig" }, h("figcaption", {}, title), svg);
  if (legend) fig.append(h("p", { class: "legend" }, legend.map(([cls, k]) => h("span", { class: "key " + cls }, t(k)))));
  return fig;
}

// statTable is the same numbers as a table (readable, copyable).
function statTable(keyHead, rows, cols) {
  return h("details", { class: "stat-table" }, h("summary", {}, t("table")),
    table([keyHead, ...cols], rows.map((r) => [r.label, ...cols.map((c) => h("span", { class: "num" }, fmtNum(r[c])))])));
}


// The statistics are counters the node keeps in state (GET /api/v1/stats
// by dimension, /api/v1/stats/projects), each provable (proof kind
// "total"): drawn as charts with the same numbers as tables beside them.
const STAT_DIMENSIONS = [
  ["category", "byCategory", (r) => enumName("categories", r.category) || r.value],
  ["vintage_year", "byVintage", (r) => String(r.vintage_year || r.value)],
  ["fiscal_year", "byFiscalYear", (r) => "FY" + (r.fiscal_year || r.value)],
  ["use", "byUse", (r) => useName(r.use) || r.value],
  ["methodology", "byMethodology", (r) => r.methodology || r.value],
  ["prefecture", "byPrefecture", (r) => r.prefecture_code ? "JIS " + r.prefecture_code : "—"],
];
const SUPPLY_LEGEND = [["bar-active", "active"], ["bar-locked", "locked"], ["bar-retired", "retired"], ["bar-cancelled", "cancelled"]];

function statRow(r, label) {
  const n = (k) => Number(r[k] || 0);
  return {
    label, issued: n("issued"), active: n("active"), locked: n("locked"), retired: n("retired"), cancelled: n("cancelled"), retirementsCount: n("retirements"),
    parts: [{ value: n("active"), cls: "bar-active" }, { value: n("locked"), cls: "bar-locked" }, { value: n("retired"), cls: "bar-retired" }, { value: n("cancelled"), cls: "bar-cancelled" }],
  };
}

async function loadStats(my) {
  const box = $("stats");
  let total;
  try {
    total = await getJSON("api/v1/stats");
  } catch (e) {
    if (!stale(my)) box.replaceChildren(h("p", { class: "small" }, e.status === 404 ? t("statsUnavailable") : e.message));
    return;
  }
  const [dims, projects] = await Promise.all([
    Promise.all(STAT_DIMENSIONS.map(([d]) => getJSON("api/v1/stats?limit=1000&dimension=" + d).catch(() => ({ rows: [] })))),
    getJSON("api/v1/stats/projects").catch(() => null),
  ]);
  if (stale(my)) return;
  const tot = statRow((total.rows || [])[0] || {}, t("total"));
  const totals = dl([["issued", fmtNum(tot.issued)], ["active", fmtNum(tot.active)], ["locked", tot.locked ? fmtNum(tot.locked) : ""], ["retired", fmtNum(tot.retired)],
    ["cancelled", fmtNum(tot.cancelled)], ["retirementsCount", fmtNum(tot.retirementsCount)], ["projects", projects ? fmtNum(projects.total || 0) : ""]]);
  totals.id = "stats-totals";
  const out = [totals];
  STAT_DIMENSIONS.forEach(([d, title, label], i) => {
    const rows = (dims[i].rows || []).map((r) => statRow(r, label(r)));
    if (!rows.length) return;
    // Retirements by fiscal year and use count retired credits only.
    const retiredOnly = d === "fiscal_year" || d === "use";
    const data = rows.map((r) => retiredOnly ? { ...r, value: r.retired, parts: [{ value: r.retired, cls: "bar-retired" }] } : { ...r, value: r.issued });
    const cols = retiredOnly ? ["retired", "retirementsCount"] : ["issued", "active", "locked", "retired", "cancelled"];
    out.push(h("div", { class: "stat", data: { stat: d } }, barChart(t(title), data, retiredOnly ? null : SUPPLY_LEGEND), statTable(d, data, cols)));
  });
  if (projects) {
    const data = (projects.statuses || []).map((s) => ({ label: enumName("projectStatuses", s.status), value: Number(s.projects || 0), projects: Number(s.projects || 0) }));
    out.push(h("div", { class: "stat", data: { stat: "projects" } }, barChart(t("projectsByStatus"), data), statTable("status", data, ["projects"])));
  }
  box.replaceChildren(...out);
}

// ---------------------------------------------------------------- search

// searchPage finds projects, batches and accounts by name (the lists'
// ?name= filter: case-insensitive, full- and half-width folded, over the
// whole list) and retirements by beneficiary name (the API's filter).
const SEARCH_SCREEN = 50;
// searchList follows a name-filtered list's cursors until it has a
// screenful or the list ends (a page may come back short, and partial,
// after its scan budget: that is not the end). It answers the records, the
// first answer (for its account refs) and whether more remain.
async function searchList(path, key, q, extra) {
  const items = [];
  let first = null, cursor = "";
  for (;;) {
    const ans = await getJSON(path + "?name=" + enc(q) + "&limit=" + SEARCH_SCREEN + (extra || "") + (cursor ? "&cursor=" + enc(cursor) : ""));
    if (!first) first = ans;
    else if (key !== "accounts" && ans.accounts && first.accounts) first.accounts = first.accounts.concat(ans.accounts);
    items.push(...(ans[key] || []));
    cursor = (ans.page && ans.page.next_cursor) || "";
    if (!cursor || items.length >= SEARCH_SCREEN) return { items: items.slice(0, SEARCH_SCREEN), first, more: !!cursor || items.length > SEARCH_SCREEN };
  }
}
async function searchPage(q) {
  const my = gen;
  page(t("searchResults", { q }), h("p", {}, t("loading")));
  const none = { items: [], first: {}, more: false };
  const [p, b, ac, r] = await Promise.all([
    searchList("api/v1/projects", "projects", q).catch(() => none),
    searchList("api/v1/batches", "batches", q, "&reverse=true").catch(() => none),
    searchList("api/v1/accounts", "accounts", q).catch(() => none),
    getJSON("api/v1/retirements?reverse=true&limit=50&beneficiary=" + enc(q)).catch(() => ({})),
  ]);
  if (stale(my)) return;
  const prefs = refsOf(p.first);
  const projects = p.items, batches = b.items, accounts = ac.items;
  const rets = r.retirements || [];
  const out = [];
  if (projects.length) out.push(h("h3", {}, t("projects")), table(["id", "name", "operator", "status"], projects.map((x) => [a("#/project/" + enc(x.id), x.id), x.name, acct(x.operator_account, prefs), enumName("projectStatuses", x.status)]), { id: "search-projects" }));
  if (batches.length) out.push(h("h3", {}, t("batches")), table(["id", "project", "category", "issued"], batches.map((x) => [a("#/batch/" + enc(x.id), x.id), x.project_name, enumName("categories", x.category), fmtNum(x.issued)]), { id: "search-batches" }));
  if (accounts.length) out.push(h("h3", {}, t("accounts")), table(["legalName", "number", "roles"], accounts.map((x) => [a("#/account/" + enc(x.number), x.legal_name), x.number, (x.roles || []).map((r) => enumName("roleNames", r)).join(", ")]), { id: "search-accounts" }));
  if (rets.length) out.push(h("h3", {}, t("retirements")), retirementTable(rets, refsOf(r)));
  if (!out.length) out.push(h("p", {}, t("noResults")));
  if (p.more || b.more || ac.more) out.push(h("p", { class: "small" }, t("searchNote", { n: SEARCH_SCREEN })));
  page(t("searchResults", { q }), ...out);
}

// --------------------------------------------------------------- projects

async function projectsPage(params) {
  const my = gen;
  await listPage(my, {
    title: t("projects"), route: "projects", api: "api/v1/projects", key: "projects",
    filters: [["status", "select", "projectStatuses"], ["methodology", "text"], ["prefecture", "text"], ["operator", "text"]],
    head: ["id", "name", "operator", "methodology", "location", "status"],
    row: (x, refs) => [a("#/project/" + enc(x.id), x.id), x.name, acct(x.operator_account, refs), x.methodology, place(x.location) || x.prefecture, enumName("projectStatuses", x.status)],
  }, params);
}

async function projectPage(id) {
  const my = gen;
  const ans = await getJSON("api/v1/projects/" + enc(id));
  const p = ans.project, refs = refsOf(ans);
  const [m, reps, bs] = await Promise.all([
    getJSON("api/v1/methodologies/" + enc(p.methodology)).catch(() => ({})),
    getJSON("api/v1/projects/" + enc(p.id) + "/reports?limit=1000").catch(() => ({})),
    getJSON("api/v1/batches?limit=1000&project_id=" + enc(p.id)).catch(() => ({})),
  ]);
  if (stale(my)) return;
  const meth = m.methodology;
  const body = [dl([
    ["id", p.id], ["name", p.name], ["kind", enumName("projectKinds", p.kind)], ["status", enumName("projectStatuses", p.status)],
    ["operator", acct(p.operator_account, refs)], ["location", place(p.location) || p.prefecture],
    ["methodology", p.methodology + (meth ? " " + meth.title + " (" + enumName("categories", meth.category) + ")" : "")],
    ["crediting", (p.crediting_start || "") + " – " + (p.crediting_end || "")], ["expected", p.expected_reductions ? fmtNum(p.expected_reductions) + " t-CO2" : ""],
  ])];
  body[0].id = "project-fields";
  if ((p.members || []).length) {
    body.push(h("h3", {}, t("members")), table(["name", "site", "share", "account"],
      p.members.map((x) => [x.name, x.site, ((x.share_bps || 0) / 100).toFixed(2) + " %", acct(x.account, refs)]), { id: "project-members" }));
  }
  body.push(h("h3", {}, t("history")), table(["status", "date", "height", "actor", "reason"],
    (p.history || []).map((x) => [enumName("projectStatuses", x.status), fmtTime(x.time), x.height, actorLink(x.actor), x.reason]), { id: "project-history" }));
  const reports = reps.reports || [];
  body.push(h("h3", {}, t("documents")), table(["name", "documentHash"],
    [[t("planHash"), h("span", { class: "mono" }, p.plan_hash || "")], ...reports.map((r) => [r.id, h("span", { class: "mono" }, r.document_hash || "")])], { id: "project-documents" }));
  if (reports.length) {
    body.push(h("h3", {}, t("reports")), table(["id", "period", "claimed", "verifiedT", "status", "batch"],
      reports.map((r) => [r.id, (r.period_start || "") + " – " + (r.period_end || ""), fmtNum(r.claimed_t_co2), fmtNum(r.verified_t_co2), enumName("reportStatuses", r.status), r.batch_id ? a("#/batch/" + enc(r.batch_id), r.batch_id) : ""])));
  }
  body.push(h("h3", {}, t("batches")), batchTable(bs.batches || [], "project-batches"));
  page(p.name + " (" + p.id + ")", ...body);
}

function batchTable(bs, id) {
  return table(["id", "category", "vintage", "issued", "active", "retired", "cancelled"],
    bs.map((x) => [a("#/batch/" + enc(x.id), x.id), enumName("categories", x.category), vintage(x), fmtNum(x.issued), fmtNum(x.active || 0), fmtNum(x.retired || 0), fmtNum(x.cancelled || 0)]), { id });
}

// ---------------------------------------------------------------- batches

async function batchPage(id) {
  const my = gen;
  const { batch: b } = await getJSON("api/v1/batches/" + enc(id));
  if (stale(my)) return;
  const supply = barChart(t("supply"), [{
    label: b.id, value: b.issued,
    parts: [{ value: b.active || 0, cls: "bar-active" }, { value: b.locked || 0, cls: "bar-locked" }, { value: b.retired || 0, cls: "bar-retired" }, { value: b.cancelled || 0, cls: "bar-cancelled" }],
  }], [["bar-active", "active"], ["bar-locked", "locked"], ["bar-retired", "retired"], ["bar-cancelled", "cancelled"]]);
  const fieldsDl = dl([
    ["id", b.id], ["project", b.project_id ? a("#/project/" + enc(b.project_id), (b.project_name || "") + " (" + b.project_id + ")") : ""], ["report", b.report_id],
    ["methodology", b.methodology], ["category", enumName("categories", b.category)], ["vintage", vintage(b)], ["identifiers", identifiers(b)],
    ["origin", place(b.origin)], ["energy", [b.electricity_kwh ? fmtNum(b.electricity_kwh) + " kWh" : "", b.heat_mj ? fmtNum(b.heat_mj) + " MJ" : ""].filter(Boolean).join(", ")],
    ["labels", labelsText(b.labels)], ["legacy", b.legacy ? (b.legacy.original_project_id || "") + " " + (b.legacy.original_serials || "") : ""],
    ["issued", fmtNum(b.issued)], ["active", fmtNum(b.active || 0)], ["locked", b.locked ? fmtNum(b.locked) : ""], ["retired", fmtNum(b.retired || 0)], ["cancelled", fmtNum(b.cancelled || 0)],
    ["issuance", [fmtTime(b.issuance_time), b.issuance_height ? "#" + b.issuance_height : "", b.issuance_tx_hash].filter(Boolean).join(" · ")],
  ]);
  fieldsDl.id = "batch-fields";
  const ranges = h("div", { id: "batch-ranges" });
  page(t("batch") + " " + b.id, fieldsDl, supply, h("h3", {}, t("ranges")), ranges);
  pagedRows(my, ranges, "api/v1/ranges/" + enc(b.id), "ranges", ["serials", "quantity", "status", "holder", "retirement"],
    (x, refs) => [a("#/serial/" + enc(x.serials.split("-").slice(0, 5).join("-")), x.serials), fmtNum(x.quantity), enumName("statuses", x.status), acct(x.owner_account, refs),
      x.retirement_id ? a("#/retirement/" + enc(x.retirement_id), x.retirement_id) : x.cancellation_id ? a("#/cancellation/" + enc(x.cancellation_id), x.cancellation_id) : ""]);
  offerProof("batch", b.id, false);
}

// pagedRows shows a list's rows, 50 at a time, with "show more" following
// the API's cursor (no cap: the cursor goes on to the end).
async function pagedRows(my, box, api, key, head, row, tableId) {
  const tbl = table(head, [], { id: tableId });
  const more = h("button", { type: "button", class: "more", hidden: true }, t("more"));
  box.replaceChildren(tbl, more);
  let cursor = "";
  const next = async () => {
    more.hidden = true;
    const ans = await getJSON(api + (api.includes("?") ? "&" : "?") + "limit=50" + (cursor ? "&cursor=" + enc(cursor) : ""));
    if (stale(my)) return;
    const refs = refsOf(ans);
    tbl.tBodies[0].append(...(ans[key] || []).map((x) => h("tr", {}, row(x, refs).map((c) => h("td", {}, c ?? "")))));
    cursor = (ans.page && ans.page.next_cursor) || "";
    more.hidden = !cursor;
    tbl.dataset.loaded = "true"; // the first page is in (tests wait for it)
  };
  more.addEventListener("click", () => next().catch((e) => fail(e, api)));
  await next().catch((e) => box.append(h("p", { class: "error" }, e.message)));
}

// --------------------------------------------------------------- accounts

async function accountPage(arg, params) {
  const my = gen;
  const { account: x } = await getJSON("api/v1/accounts/" + enc(arg));
  if (stale(my)) return;
  const f = dl([
    ["legalName", x.legal_name], ["number", x.number], ["address", h("span", { class: "mono" }, x.address)],
    ["previousAddresses", (x.previous_addresses || []).join("\n")], ["entityKind", enumName("entityKinds", x.entity_kind)], ["country", x.country],
    ["roles", (x.roles || []).map((r) => enumName("roleNames", r)).join(", ")], ["status", enumName("accountStatuses", x.status) + (x.status_reason ? " — " + x.status_reason : "")],
    ["opened", [fmtTime(x.opened_time), x.opened_height ? "#" + x.opened_height : ""].filter(Boolean).join(" · ")],
  ]);
  f.id = "account-fields";
  const mine = h("div"), forMe = h("div"), totals = h("div", { id: "account-totals" });
  const gx = h("div", { id: "account-gx" });
  page(x.legal_name || "#" + x.number, f, gx, h("h3", {}, t("accountTotals")), totals, h("h3", {}, t("publicRetirements")), mine, h("h3", {}, t("beneficiaryRetirements")), forMe,
    h("p", {}, a("#/retirements?account=" + enc(x.number), t("allRetirements"))));
  const cols = ["id", "date", "beneficiary", "use", "fiscalYear", "quantity"];
  const row = (r, refs) => [a("#/retirement/" + enc(r.id), r.id), fmtTime(r.time), beneficiaryCell(r, refs), usesOf(r), r.fiscal_year, fmtNum(r.quantity)];
  pagedRows(my, mine, "api/v1/retirements?reverse=true&account=" + enc(x.number), "retirements", cols, row, "account-retirements");
  pagedRows(my, forMe, "api/v1/retirements?reverse=true&beneficiary_account=" + enc(x.number), "retirements", cols, row, "account-beneficiary-retirements");
  // What was retired for this account per use and fiscal year: counters
  // kept in state (each provable), what an auditor checks against a filing.
  getJSON("api/v1/accounts/" + enc(x.number) + "/totals?limit=1000").then((ans) => {
    if (stale(my)) return;
    const rows = (ans.totals || []).map((r) => [r.use ? useName(r.use) : t("allUses"), r.fiscal_year || "", h("span", { class: "num" }, fmtNum(r.retired))]);
    totals.replaceChildren(rows.length ? table(["use", "fiscalYear", "retired"], rows) : h("p", {}, t("none")));
  }).catch((e) => totals.replaceChildren(h("p", { class: "small" }, e.status === 404 ? t("statsUnavailable") : e.message)));
  offerProof("account", String(x.number), false);
  gxSummary(my, gx, x.number, params);
}

// fiscalYearNow is the Japanese fiscal year (April-March) of today in JST.
function fiscalYearNow() {
  const d = new Date(Date.now() + 9 * 3600e3);
  return d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
}

// gxSummary shows, for a GX-ETS operator, its compliance use of a fiscal
// year (?fy=, default the current one): verified emissions, the cap (the
// share in force), what it retired for GX-ETS and what remains; the
// button verifies the gx-ets proof of that year in this page. Other
// accounts show nothing.
async function gxSummary(my, box, number, params) {
  const fy = /^\d{4}$/.test(params.get("fy") || "") ? Number(params.get("fy")) : fiscalYearNow();
  let op, ret;
  try {
    [op, ret] = await Promise.all([
      getJSON("api/v1/gx-operators/" + enc(number) + "?fiscal_year=" + fy),
      getJSON("api/v1/gx-retired/" + enc(number) + "/" + fy).catch(() => ({})),
    ]);
  } catch (e) { box.dataset.state = "none"; return; } // not an operator (404)
  if (stale(my)) return;
  if (!op.operator) { box.dataset.state = "none"; return; }
  box.dataset.state = "shown";
  const retired = Number((ret.retired && ret.retired.retired) || 0);
  const em = op.emissions;
  const cap = Number(op.cap_t_co2 || 0);
  const year = h("input", { id: "gx-fy", type: "number", min: 2000, max: 2100, value: fy });
  const form = h("form", { class: "filters", id: "gx-form" }, h("label", { for: "gx-fy" }, t("fiscalYear")), year, h("button", { type: "submit" }, t("gxShow")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); go("#/account/" + enc(number) + "?fy=" + enc(year.value)); });
  const f = dl([
    ["corporateNumber", op.operator.corporate_number], ["fiscalYear", fy],
    ["verifiedEmissions", em ? fmtNum(em.verified_t_co2) + " t-CO2" : t("gxNoEmissions")],
    ["cap", em ? fmtNum(cap) + " t-CO2 (" + (op.cap_percent || "") + " %)" : ""],
    ["gxRetired", fmtNum(retired) + " t-CO2"], ["remaining", em ? fmtNum(Math.max(cap - retired, 0)) + " t-CO2" : ""],
    ["retirements", ((ret.retired && ret.retired.retirement_ids) || []).flatMap((id, i) => [i ? ", " : "", a("#/retirement/" + enc(id), id)])],
  ]);
  f.id = "gx-fields";
  const verify = h("button", { type: "button", id: "gx-verify", onclick: () => offerProof("gx-ets", number + "/" + fy, true) }, t("gxVerify"));
  box.replaceChildren(h("h3", {}, t("gxTitle")), form, f, verify);
}

// ----------------------------------------------------- retirements, lists

function beneficiaryCell(r, refs) {
  return r.beneficiary_account_number && r.beneficiary_account_number !== "0" ? acct(r.beneficiary_account_number, refs, r.beneficiary || r.beneficiary_legal_name) : r.beneficiary;
}

function retirementTable(rs, refs) {
  return table(["id", "date", "beneficiary", "account", "use", "fiscalYear", "quantity"],
    rs.map((r) => [a("#/retirement/" + enc(r.id), r.id), fmtTime(r.time), beneficiaryCell(r, refs), acct(r.account_number, refs, r.account_legal_name), usesOf(r), r.fiscal_year, fmtNum(r.quantity)]));
}

// listPage is a filtered list (the filters in the URL, so that a view can
// be shared) with paging and the CSV / JSON Lines export of the same
// filters (the API streams the whole list at one height).
async function listPage(my, cfg, params) {
  const form = h("form", { class: "filters", id: "filters" });
  for (const [name, kind, table_] of cfg.filters) {
    const id = "f-" + name;
    let input;
    if (kind === "select") {
      input = h("select", { id, name }, h("option", { value: "" }, t("any")),
        Object.entries(I18N[lang][table_]).map(([v, label]) => h("option", { value: v }, label)));
    } else {
      input = h("input", { id, name, type: kind, autocomplete: "off" });
    }
    input.value = params.get(name) || "";
    form.append(h("label", { for: id }, t({ from_date: "fromDate", to_date: "toDate", fiscal_year: "fiscalYear", batch_id: "batch", project_id: "project", beneficiary_account: "beneficiaryAccount" }[name] || name)), input);
  }
  form.append(h("button", { type: "submit" }, t("filter")), h("button", { type: "button", onclick: () => go("#/" + cfg.route) }, t("clear")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value.trim()) q.set(el.name, el.value.trim());
    go("#/" + cfg.route + (q.toString() ? "?" + q : ""));
  });
  const filt = new URLSearchParams();
  for (const [name] of cfg.filters) if (params.get(name)) filt.set(name, params.get(name));
  const fq = filt.toString();
  const exports = h("p", { class: "exports" },
    a(cfg.api + "?" + (fq ? fq + "&" : "") + "format=csv", t("csv"), { id: "csv-link", download: "" }), " · ",
    a(cfg.api + "?" + (fq ? fq + "&" : "") + "format=jsonl", t("jsonl"), { download: "" }));
  const box = h("div");
  page(cfg.title, form, exports, box);
  await pagedRows(my, box, cfg.api + "?reverse=true" + (fq ? "&" + fq : ""), cfg.key, cfg.head, cfg.row, "list");
}

async function retirementsPage(params) {
  await listPage(gen, {
    title: t("retirements"), route: "retirements", api: "api/v1/retirements", key: "retirements",
    filters: [["account", "text"], ["beneficiary", "text"], ["beneficiary_account", "text"], ["use", "select", "uses"], ["fiscal_year", "number"],
      ["from_date", "date"], ["to_date", "date"], ["batch_id", "text"], ["project_id", "text"], ["category", "select", "categories"]],
    head: ["id", "date", "beneficiary", "account", "use", "fiscalYear", "quantity"],
    row: (r, refs) => [a("#/retirement/" + enc(r.id), r.id), fmtTime(r.time), beneficiaryCell(r, refs), acct(r.account_number, refs, r.account_legal_name), usesOf(r), r.fiscal_year, fmtNum(r.quantity)],
  }, params);
}

async function cancellationsPage(params) {
  await listPage(gen, {
    title: t("cancellations"), route: "cancellations", api: "api/v1/cancellations", key: "cancellations",
    filters: [["batch_id", "text"]],
    head: ["id", "date", "ministry", "reason", "batch", "quantity"],
    row: (c, refs) => [a("#/cancellation/" + enc(c.id), c.id), fmtTime(c.time), acct(c.ministry_account, refs), c.reason,
      [...new Set((c.blocks || []).map((b) => b.batch_id))].flatMap((id, i) => [i ? ", " : "", a("#/batch/" + enc(id), id)]), fmtNum(c.quantity)],
  }, params);
}

// offersPage: credits for sale (売り出しクレジット), each with what its
// holder can deliver now; exhausted and withdrawn offers are not listed.
async function offersPage(params) {
  const my = gen;
  await listPage(my, {
    title: t("offers"), route: "offers", api: "api/v1/offers", key: "offers",
    filters: [["category", "select", "categories"], ["vintage_year", "number"], ["batch_id", "text"]],
    head: ["id", "holder", "batch", "category", "vintage_year", "quantity", "available", "price", "contact"],
    row: (x, refs) => {
      const o = x.offer || {};
      return [o.id, acct(o.holder_account, refs), o.batch_id ? a("#/batch/" + enc(o.batch_id), o.batch_id) : t("any"),
        o.category ? enumName("categories", o.category) : t("any"), o.vintage_year || t("any"), fmtNum(o.quantity), fmtNum(x.available || 0),
        Number(o.price_yen_per_t || 0) ? fmtNum(o.price_yen_per_t) : t("priceOnRequest"), o.contact];
    },
  }, params);
  if (!stale(my) && $("list")) $("list").before(h("p", { class: "small" }, t("offersNote")));
}

async function cancellationPage(id) {
  const my = gen;
  const ans = await getJSON("api/v1/cancellations/" + enc(id));
  if (stale(my)) return;
  const c = ans.cancellation, refs = refsOf(ans);
  const f = dl([["cancellation", c.id], ["ministry", acct(c.ministry_account, refs, c.ministry)], ["reason", c.reason], ["quantity", fmtNum(c.quantity)],
    ["date", fmtTime(c.time)], ["height", c.height], ["txHash", c.tx_hash]]);
  f.id = "cancellation-fields";
  page(t("cancellation") + " " + c.id, f, blocksTable(c.blocks));
  offerProof("cancellation", c.id, false);
}

function blocksTable(blocks) {
  return table(["serials", "project", "methodology", "category", "vintage", "identifiers", "quantity"], (blocks || []).map((b) => [
    b.serials, b.project_id ? a("#/project/" + enc(b.project_id), (b.project_name ? b.project_name + " " : "") + "(" + b.project_id + ")") : "",
    b.methodology, enumName("categories", b.category), vintage(b), identifiers(b), fmtNum(Number(b.end) - Number(b.start) + 1)]));
}

// --------------------------------------------------- serial, certificate

// serialPage: the credit's status card, verified. A certificate only for
// a RETIRED serial: an active or cancelled credit has none.
async function serialPage(serial) {
  const my = gen;
  const s = await getJSON("api/v1/serials/" + enc(serial));
  if (stale(my)) return;
  const refs = refsOf(s);
  const rng = s.range || {};
  const b = s.batch || {};
  fields($("serial-fields"), [
    ["serials", s.serial], ["status", enumName("statuses", rng.status)], ["owner", acct(rng.owner_account, refs)],
    ["batch", rng.batch_id ? a("#/batch/" + enc(rng.batch_id), rng.batch_id) : ""],
    ["project", b.project_id ? a("#/project/" + enc(b.project_id), (b.project_name ? b.project_name + " " : "") + "(" + b.project_id + ")") : ""],
    ["category", enumName("categories", b.category)], ["vintage", b.vintage_start ? vintage(b) : ""],
    ["retirement", rng.retirement_id ? a("#/retirement/" + enc(rng.retirement_id), rng.retirement_id) : ""],
    ["cancellation", rng.cancellation_id ? a("#/cancellation/" + enc(rng.cancellation_id), rng.cancellation_id) : ""],
    ["reason", s.cancellation ? s.cancellation.reason : ""],
    ["lock", rng.status === "RANGE_STATUS_LOCKED" ? lockText(rng, refs, h("span", { id: "lock-kind" })) : ""],
  ]);
  const retired = rng.status === "RANGE_STATUS_RETIRED" && s.retirement;
  if (retired) renderCertificate(s.retirement, refs);
  show(...(retired ? ["serial", "certificate", "proof"] : ["serial", "proof"]));
  offerProof("serial", s.serial, true);
}

// lockText says for whom and until when a serial is locked: a settlement
// agent, or the recipient of a two-step transfer (the lock record says
// which; until it is read, a settlement lock).
function lockText(rng, refs, box) {
  const fill = (key) => {
    const [before, after] = t(key, { h: rng.lock_expires_height, id: rng.lock_id }).split("{agent}");
    box.replaceChildren(before, acct(rng.lock_agent_account, refs), after || "");
    box.dataset.kind = key;
  };
  fill("lockedFor");
  getJSON("api/v1/locks/" + enc(rng.lock_id)).then((ans) => { if (ans.lock && ans.lock.transfer_offer) fill("transferOffered"); }).catch(() => {});
  return box;
}

async function retirementPage(id) {
  const my = gen;
  const ans = await getJSON("api/v1/retirements/" + enc(id));
  if (stale(my)) return;
  renderCertificate(ans.retirement, refsOf(ans));
  show("certificate", "proof");
  offerProof("retirement", ans.retirement.id, true);
}

// renderCertificate fills the printable certificate: what was retired,
// for whom and for what, when (block height and time), the QR code of
// the proof's URL and the validator-set hash the proof verifies against.
function renderCertificate(r, refs) {
  const target = r.offset_target;
  fields($("cert-fields"), [
    ["id", r.id], ["beneficiary", r.beneficiary], ["beneficiaryName", r.beneficiary_legal_name],
    ["use", usesOf(r)], ["details", r.details],
    ["offsetTarget", target ? target.name + (target.location ? " (" + place(target.location) + ")" : "") : ""],
    ["fiscalYear", r.fiscal_year], ["quantity", r.quantity ? fmtNum(r.quantity) + " t-CO2" : ""],
    ["serials", (r.blocks || []).map((b) => b.serials).join("\n")],
    ["ruleVersion", r.rule_version ?? "0"], ["date", fmtTime(r.time)], ["height", r.height],
    ["account", acct(r.account_number, refs, r.account_legal_name || r.account)], ["accountName", r.account_legal_name],
    ["beneficiaryAccount", r.beneficiary_account_number && r.beneficiary_account_number !== "0" ? acct(r.beneficiary_account_number, refs, r.beneficiary_legal_name) : ""],
    ["txHash", r.tx_hash],
  ]);
  $("cert-blocks").tBodies[0].replaceChildren(...(r.blocks || []).map((b) => h("tr", {},
    h("td", { class: "mono" }, b.serials),
    h("td", {}, b.project_id ? a("#/project/" + enc(b.project_id), (b.project_name ? b.project_name + " " : "") + "(" + b.project_id + ")") : ""),
    h("td", {}, b.methodology || ""), h("td", {}, enumName("categories", b.category)), h("td", {}, vintage(b)),
    h("td", {}, identifiers(b) + (b.origin ? (identifiers(b) ? " · " : "") + place(b.origin) : "")), h("td", { class: "num" }, fmtNum(Number(b.end) - Number(b.start) + 1)))));
  const path = "api/v1/proofs/retirement/" + enc(r.id);
  $("cert-qr").src = path + "/qr";
  $("cert-url").textContent = new URL(path + "?download=1", location.href).href;
  certTrust();
}

function certTrust(res) {
  const tr = res ? res.trust : { validators_hash: $("trust").value, chain_id: $("chain-id").value, source: "" };
  $("cert-trust").textContent = (tr.validators_hash || "").toUpperCase() + (tr.chain_id ? " (" + tr.chain_id + ")" : "");
}

// ------------------------------------------------- proof and verification

// offerProof shows the proof panel of a record: download, and verify now
// (auto: retirements and serials) or on request (the verifier is large and
// loaded only then).
function offerProof(kind, subject, auto) {
  current = { kind, subject };
  const p = $("proof");
  p.hidden = false;
  $("download").hidden = false;
  $("download").href = proofPath(kind, subject) + "?download=1";
  showVerify();
  if (auto) verifyCurrent();
}

// proofPath is the API path of a bundle; a GX-ETS subject ("7/2026")
// holds a slash, which its own route takes as two parts.
function proofPath(kind, subject) {
  if (kind === "gx-ets") return "api/v1/proofs/gx-ets/" + subject.split("/").map(enc).join("/");
  return "api/v1/proofs/" + kind + "/" + enc(subject);
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(t("noWasm")));
    document.head.append(s);
  });
}

// loadWasm fetches the verifier only when a proof is first checked: its
// content-hashed URL from /api/v1/verifier (the browser keeps it a year),
// Go's wasm_exec.js, then compiles it while it downloads.
function loadWasm() {
  if (!wasmReady) {
    wasmReady = (async () => {
      const t0 = performance.now();
      const info = await getJSON("api/v1/verifier").catch(() => { throw new Error(t("noWasm")); });
      if (typeof Go === "undefined") await loadScript("wasm_exec.js");
      const go = new Go();
      let instance;
      try {
        ({ instance } = await WebAssembly.instantiateStreaming(fetch(info.url), go.importObject));
      } catch (e) {
        const res = await fetch(info.url);
        if (!res.ok) throw new Error(t("noWasm"));
        ({ instance } = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject));
      }
      go.run(instance);
      for (let i = 0; i < 100 && typeof globalThis.jcreditVerify !== "function"; i++) await new Promise((r) => setTimeout(r, 20));
      if (typeof globalThis.jcreditVerify !== "function") throw new Error(t("noWasm"));
      window.__verifierTiming = { loadMs: Math.round(performance.now() - t0), bytes: info.bytes, gzipBytes: info.gzip_bytes, url: info.url };
    })();
    wasmReady.catch(() => { wasmReady = null; });
  }
  return wasmReady;
}

// showVerify shows the verifier's verdict: a status line in the page's
// language, then the statement exactly as the verifier words it (the same
// words as jcreditd verify and the API), the trust root and every header
// the verifier walked; and the certificate's badge.
function showVerify() {
  const el = $("verify-status");
  const badge = $("cert-verified");
  const detail = $("verify-detail");
  detail.hidden = true;
  const v = current && current.verify;
  $("verify-btn").hidden = !!v && v.state !== "failed";
  if (!v) { el.dataset.state = badge.dataset.state = "idle"; el.textContent = badge.textContent = ""; return; }
  el.dataset.state = badge.dataset.state = v.state;
  el.textContent = v.state === "verifying" ? t("verifying") : v.state === "verified" ? t(v.chain > 0 ? "verifiedChain" : "verified", { h: v.height, n: v.chain }) : t("failed", { e: v.error });
  badge.textContent = v.state === "verifying" ? t("badgeVerifying") : v.state === "verified" ? t("badge") : t("badgeFailed");
  if (v.state !== "verified") return;
  const r = v.result;
  $("verify-statement").textContent = r.statement;
  $("verify-trust").textContent = t("trustUsed") + ": " + r.trust.source + " " + r.trust.validators_hash + " (" + r.trust.chain_id + ")";
  certTrust(r);
  const ol = $("verify-walk"); ol.replaceChildren();
  for (const [i, l] of r.walk.entries()) {
    const how = { "trust root": t("walkRoot"), adjacent: t("walkAdjacent"), skip: t("walkSkip", { s: l.trusted_signed, p: l.trusted_power }), "before root": t("walkBefore") }[l.how] || l.how;
    ol.append(h("li", {}, "#" + l.block + " " + fmtTime(l.time) + " — " + l.signed_power + "/" + l.power + " — " + how + (i === r.walk.length - 1 ? " (" + t("provenBlock") + ")" : "")));
  }
  $("verify-warnings").textContent = (r.warnings || []).map((w) => t("warning") + ": " + w).join("\n");
  if (v.dropped && r.subject) {
    const pageOf = { retirement: "retirement", serial: "serial", account: "account", batch: "batch", cancellation: "cancellation" }[r.kind];
    if (pageOf) $("verify-warnings").append(h("br"), a("#/" + pageOf + "/" + enc(r.subject), t("dropOpen"), { id: "drop-open" }));
  }
  detail.hidden = false;
  const tm = window.__verifierTiming;
  if (tm) $("verifier-timing").textContent = t("timing", { l: tm.loadMs, v: tm.verifyMs ?? "", b: fmtNum(tm.gzipBytes || tm.bytes) });
}

async function verifyCurrent() {
  const c = current;
  if (!c) return;
  c.verify = { state: "verifying", dropped: c.dropped }; showVerify();
  try {
    const [bundle] = await Promise.all([
      c.bundle ? Promise.resolve(c.bundle) : fetch(proofPath(c.kind, c.subject)).then(async (r) => {
        const txt = await r.text();
        if (!r.ok) { let msg = r.statusText; try { msg = JSON.parse(txt).error || msg; } catch { /* not JSON */ } throw new Error(msg); }
        return txt;
      }),
      loadWasm(),
    ]);
    c.bundle = bundle;
    const t0 = performance.now();
    const out = JSON.parse(globalThis.jcreditVerify(bundle, $("trust").value.trim(), $("chain-id").value.trim()));
    if (window.__verifierTiming && window.__verifierTiming.verifyMs === undefined) window.__verifierTiming.verifyMs = Math.round(performance.now() - t0);
    c.verify = out.ok ? { state: "verified", height: out.result.block_height, chain: out.result.chain_length, result: out.result, dropped: c.dropped } : { state: "failed", error: out.error, dropped: c.dropped };
  } catch (e) {
    c.verify = { state: "failed", error: e.message, dropped: c.dropped };
  }
  if (c === current) showVerify();
}

// ------------------------------------------------------ drop a proof.json

function verifyPage() {
  show("verify-drop");
  $("drop-name").textContent = "";
}

// verifyFile checks a proof file the visitor gives: in this browser,
// against the trust root shown (by default the genesis validator set this
// node reports); a tampered file is refused with the verifier's reason.
async function verifyFile(file) {
  if (!location.hash.startsWith("#/verify")) { history.pushState(null, "", "#/verify"); gen++; }
  show("verify-drop", "proof");
  $("drop-name").textContent = file.name + " (" + fmtNum(file.size) + " B)";
  $("download").hidden = true;
  if (file.size > 8 << 20) { current = { dropped: true, verify: { state: "failed", error: t("dropTooBig") } }; showVerify(); return; }
  const text = await file.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch (e) {
    current = { dropped: true, verify: { state: "failed", error: t("dropNotJSON", { e: e.message }) } }; showVerify(); return;
  }
  current = { kind: parsed.kind, subject: parsed.subject, bundle: text, dropped: true };
  await verifyCurrent();
}

// ------------------------------------------------------------------- init

async function loadTrust() {
  try {
    const tr = await getJSON("api/v1/trust");
    if (!$("trust").value) $("trust").value = tr.validators_hash;
    if (!$("chain-id").value) $("chain-id").value = tr.chain_id;
  } catch (e) { /* verification will say */ }
}

$("lang-ja").addEventListener("click", () => setLang("ja"));
$("lang-en").addEventListener("click", () => setLang("en"));
$("search").addEventListener("submit", (ev) => { ev.preventDefault(); const q = $("q").value.trim(); if (q) go(classify(q)); });
$("reverify").addEventListener("click", () => { if (current) { current.verify = null; verifyCurrent(); } });
$("verify-btn").addEventListener("click", () => { if (current) verifyCurrent(); });
$("print").addEventListener("click", () => window.print());
$("proof-file").addEventListener("change", (ev) => { if (ev.target.files[0]) verifyFile(ev.target.files[0]); });
// A proof file may be dropped anywhere on the page.
document.addEventListener("dragover", (ev) => { ev.preventDefault(); $("drop").classList.add("over"); });
document.addEventListener("dragleave", () => $("drop").classList.remove("over"));
document.addEventListener("drop", (ev) => {
  ev.preventDefault();
  $("drop").classList.remove("over");
  const f = ev.dataTransfer && ev.dataTransfer.files[0];
  if (f) verifyFile(f);
});
window.addEventListener("hashchange", route);

applyLang();
loadTrust().then(route);
