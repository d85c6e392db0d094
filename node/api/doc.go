// Package api is a node's public, read-only HTTP API and web page, served
// on their own port (jcreditd start --api.laddr, or [api] laddr in
// config/app.toml; default 127.0.0.1:1317; empty turns it off), apart from
// CometBFT's RPC.
//
// Everything is GET (HEAD and CORS preflight OPTIONS too); any other method
// gets 405 with "Allow: GET, HEAD, OPTIONS". Every GET answer carries
// "Access-Control-Allow-Origin: *", so other sites may show the registry's
// data. Nothing here can change state, and nothing here reads state or
// decodes a stored record: every record and list route is ONE module query
// (x/module's read contract: the rpcs of proto/jcredit/<module>/v1/
// query.proto, answered by the app at /<module>/<rpc>), and its answer is
// that query's JSON as the app renders it — protobuf JSON with the proto
// field names, enums by name, 64-bit integers as strings, unset fields left
// out; the same bytes as the ABCI query and `jcreditd q … -o json`. Proof
// bundles are node/proof's business (the proof routes).
//
// Parameters. A route's path parameters and its query parameters fill the
// query's request by one rule (node/query.Bind): a parameter names a request
// field by its proto name (fiscal_year, beneficiary_account); enums are
// written with or without their prefix, in any case, "-" for "_" (use=re100,
// status=registered, category=renewable-electricity); an unknown parameter,
// a value of the wrong form or a parameter given twice is 400 with what the
// route takes. Every query route also takes ?height=N (read committed state
// N; 404 if the node no longer has it). Errors are {"error": "..."} with 400
// (bad request: malformed id, filter or cursor), 404 (not found) or 5xx; a
// well-formed id of nothing is 404. Answers carry the state height in
// X-Jcredit-Height. Records name accounts by their stable number; answers
// list those accounts under "accounts" ({number, address, legal_name}, as of
// that height). An account is asked about by address (one of its keys) or by
// number.
//
// What the public sees of accounts (visibility.go) is the node's setting
// [api] public_holdings (app.toml; Server.PublicHoldings), off by default:
// then holdings, and who acts for an account (delegations, trusted
// recipients, member keys, approval thresholds, actions awaiting approval)
// (route, named query, export) are 403, account records in
// every answer and export show only number, address and legal name, and
// account proof bundles are 403. Registry records (retirements,
// cancellations, batches, projects, statistics) are served the same either
// way. It governs this API only: CometBFT's RPC serves the whole replicated
// state, with proofs.
//
// Lists page (x/module: Page). ?limit=N (default 100, at most 1000),
// ?reverse=true (descending: newest first), ?cursor= the previous page's
// page.next_cursor. The answer's "page" says {next_cursor, height, scanned,
// partial}: next_cursor is empty at the end of the list, never before (no
// list stops at a cap); the cursor is opaque and pins the state of the
// walk's first page, so a walk lists every record of that state exactly
// once however many blocks are committed meanwhile (and is refused with
// other filters or direction). Each list has a stable order (below). A page
// examines at most 10,000 entries: with filters that its index does not
// serve it may come back short, with partial=true and a cursor to go on.
//
// Export. Every list route takes ?format=csv or ?format=jsonl: the whole
// list (the filters and direction given; not cursor or limit) as a file
// streamed page by page from one committed state (the latest, or
// ?height=N), named in the X-Jcredit-Height and X-Jcredit-App-Hash headers
// and in the file's first line. CSV is UTF-8 with a byte-order mark (Excel
// reads Japanese), a first line "# jcredit export; list=…; chain_id=…;
// height=…; app_hash=…; query=…", a row of column names (the record's fields
// by proto name; nested messages' fields as "a.b"; repeated fields as their
// JSON; cells that a spreadsheet would run as a formula prefixed with ');
// JSON Lines has a first line {"jcredit_export": {list, chain_id, height,
// app_hash, query}} and one record per line. node/query's ReadCSV and
// ReadJSONL read them back. An error after the first byte ends the file
// with "# error: …" (CSV) or {"jcredit_export_error": "…"} (JSON Lines).
//
// The server is public, so it bounds what a client can hold (Limits):
// at most 256 connections, the longest-idle one closed when a newcomer needs
// room (503 if none is idle); request headers within 5 s and the request
// within 15 s; an answer within 60 s (an export: each page within 60 s;
// at most 4 exports streaming at once, 503 beyond);
// idle keep-alive connections closed after 30 s. Every answer carries a
// Content-Security-Policy (the page's own scripts and the WebAssembly
// verifier only, 'wasm-unsafe-eval' and no other eval, no inline code, no
// framing), X-Frame-Options: DENY, X-Content-Type-Options: nosniff and
// Referrer-Policy: no-referrer.
//
//	GET /api/v1/status                         chain id and latest committed height
//	GET /api/v1/events                         the live feed (events.go): server-sent events of every issuance,
//	                                           retirement and cancellation of committed blocks, with record and
//	                                           proof URLs; at most 64 clients, a slow one dropped and told so;
//	                                           Last-Event-ID or ?since=<id|height> replays what a client missed
//	                                           (replay.go; at most 3,600 blocks, 410 beyond)
//	GET /api/v1/trust[?height=N]               the validator set of block N (default: genesis), its hash and the chain
//	                                           id, as this node reports it (a trust root for verify and the page)
//
// Records (module query; provable ones can be proven with /api/v1/proofs or
// jcreditd q --prove):
//
//	GET /api/v1/accounts/{account}             accounts Account: number, current address, legal name, kind, roles, status
//	GET /api/v1/keys/{address}                 accounts Key: a signing key's account and next nonce
//	GET /api/v1/validators/{pub_key}           accounts Validator (consensus key in hex)
//	GET /api/v1/proposals/{id}                 accounts Proposal
//	GET /api/v1/delegations/{grantor}/{agent}  accounts Delegation: actions, credits allowed and used, last height
//	GET /api/v1/policies/{account}             accounts Policy: an account's approval thresholds per action class
//	GET /api/v1/actions/{id}                   accounts PendingAction: messages, approvals (counted now), status
//	GET /api/v1/projects/{id}                  projects Project (JCP-000001)
//	GET /api/v1/reports/{id}                   projects Report (JCP-000001-R001)
//	GET /api/v1/methodologies/{code}           projects Methodology (EN-S-001)
//	GET /api/v1/batches/{id}                   credits Batch with its supply counters (JC-00000001)
//	GET /api/v1/serials/{serial}               credits Serial: the range holding a credit, its batch, retirement or cancellation
//	GET /api/v1/retirements/{id}               credits Retirement (JCR-00000001)
//	GET /api/v1/cancellations/{id}             credits Cancellation (JCX-00000001)
//	GET /api/v1/locks/{id}                     credits Lock: a settlement lock (LK-00000001)
//	GET /api/v1/gx-operators/{account}[?fiscal_year=Y]  accounts GxOperator: corporate number, verified emissions, cap
//	GET /api/v1/gx-retired/{operator}/{fiscal_year}     credits GxRetired: a GX-ETS operator's total and retirements
//	GET /api/v1/use-table[?version=N]          credits UseTable: the category-by-use table in force, or version N
//	GET /api/v1/label-changes/{batch_id}/{number}  credits LabelChange
//	GET /api/v1/upgrade/plan                   upgrade Plan (404 if none is scheduled)
//	GET /api/v1/upgrades/{name}                upgrade Applied
//	GET /api/v1/stats/projects                 projects Stats: how many projects are in each status
//
// Lists (module query; order; filters), each also ?format=csv|jsonl:
//
//	GET /api/v1/retirements                    credits Retirements, by id (oldest first): account, beneficiary,
//	                                           beneficiary_account, use, fiscal_year, from_date, to_date (YYYY-MM-DD,
//	                                           Japan time, inclusive), batch_id, project_id, category, combined
//	GET /api/v1/cancellations                  credits Cancellations, by id: batch_id
//	GET /api/v1/locks                          credits Locks, settlement locks by id: holder, agent, status
//	GET /api/v1/offers                         credits Offers, open offers of credits for sale by id, each with what
//	                                           its holder can deliver now: holder, batch_id, category,
//	                                           vintage_year, include_exhausted
//	GET /api/v1/batches                        credits Batches, by number: project_id, category
//	                                           (the newest: ?reverse=true&limit=N)
//	GET /api/v1/holdings/{account}             credits Holdings, an account's ranges by status, vintage, batch, serial: status
//	GET /api/v1/use-tables                     credits UseTables, by version
//	GET /api/v1/label-changes/{batch_id}       credits LabelChanges, a batch's label history in order, and its labels now
//	GET /api/v1/ranges/{batch_id}              credits Ranges, a batch's serial ranges by first serial: status, holder,
//	                                           retirement or cancellation (what its credits are now): status
//	GET /api/v1/projects                       projects Projects, by id: status, operator, member, methodology, prefecture
//	GET /api/v1/reports                        projects Reports, by id: project_id, status
//	GET /api/v1/projects/{project_id}/reports  the same, one project's
//	GET /api/v1/methodologies                  projects Methodologies, by code
//	GET /api/v1/accounts                       accounts Accounts, by number: role, status
//	GET /api/v1/corporate-accounts/{corporate_number}  accounts CorporateAccounts: one corporation's (department) accounts
//	GET /api/v1/delegations/{grantor}          accounts Delegations an account has given, by agent
//	GET /api/v1/trusted-recipients/{account}   accounts TrustedRecipients, by recipient, with the height each takes effect
//	GET /api/v1/members/{account}              accounts Members: an account's member keys and their roles
//	GET /api/v1/pending-actions/{account}      accounts PendingActions of an account, by id: pending
//	GET /api/v1/details-history/{account}      accounts DetailsHistory: an account's replaced names and addresses
//	GET /api/v1/validators                     accounts Validators, by consensus key
//	GET /api/v1/proposals                      accounts Proposals, by id; pending=true: awaiting approval, by expiry
//	GET /api/v1/upgrades                       upgrade AppliedUpgrades, by name
//	GET /api/v1/stats                          credits Stats, counters kept in state: dimension (total — the default,
//	                                           one row —, category, vintage_year, methodology, prefecture, fiscal_year,
//	                                           use); use and fiscal_year narrow retirements
//	GET /api/v1/account-totals/{account}       credits AccountTotals: retired for an account per use and fiscal year
//	GET /api/v1/accounts/{account}/totals      the same
//
// Any query by its name, with its request's fields as parameters:
//
//	GET /api/v1/query/{module}/{rpc}?field=value…   e.g. /api/v1/query/upgrade/Version
//
// Proofs (node/proof):
//
//	GET /api/v1/proofs/{kind}/{subject}[?download=1][&trust_height=N]
//	                                           a proof bundle (node/proof, FORMAT.md): kind is
//	                                           retirement, serial, account, batch, cancellation, total
//	                                           (retired,use=re100,fiscal_year=2025) or gx-ets; an absence is a bundle too
//	GET /api/v1/proofs/{kind}/{subject}/statement[?trust_height=N]
//	                                           what that bundle proves, as this node's verifier words it
//	                                           ("AS OF state H (block time T): …"), the trust root and the walk:
//	                                           the answer of jcreditd verify -o json (verify the bundle yourself
//	                                           for assurance independent of this node)
//	GET /api/v1/proofs/gx-ets/{operator}/{fiscal_year}[/statement][?download=1][&trust_height=N]
//	                                           a GX-ETS operator's (address or number) compliance bundle of a
//	                                           fiscal year: verified emissions, cap, total retired and the records
//	                                           (its subject "7/2026" holds a slash: also /proofs/gx-ets/7%2F2026)
//
// The page and its verifier:
//
//	GET /api/v1/proofs/{kind}/{subject}/qr     the QR code (SVG) of that proof's URL, for the printed certificate;
//	                                           the URL in X-Jcredit-Proof-Url (the Host the client asked, or
//	                                           X-Forwarded-Host/-Proto from a proxy in front)
//	GET /api/v1/verifier                       the in-page verifier: {url, sha256, bytes, gzip_bytes}
//	GET /verifier-<sha256 prefix>.wasm         the verifier at its content-hashed URL, cached a year (immutable),
//	                                           gzipped when accepted; another hash is 404. /verifier.wasm: an hour
//
// The web page (/) is embedded in the binary (web/): bilingual
// (Japanese/English; ?lang=ja|en, default the browser's), one view per link
// (#/, #/projects, #/project/ID, #/batch/ID, #/account/N, #/serial/S,
// #/retirement/ID, #/cancellation/ID, #/retirements?filters,
// #/cancellations?filters, #/verify, #/search/Q): the statistics as SVG
// charts with their tables, the lists with the API's filters and export
// links, legal names linked to account pages, the printable (A4) retirement
// certificate with the QR code and the validator-set hash, and in-page
// verification by the Go verifier compiled to WebAssembly
// (web/verifier.wasm and Go's wasm_exec.js, built by make wasm and not
// committed; loaded only when a proof is checked), of a record's proof or
// of a proof.json dropped on the page. Nothing is fetched from outside the
// node. The page trusts, by default, the genesis validator set this node
// reports (/api/v1/trust) and shows its hash and chain id so that a visitor
// can compare them with published ones or enter others; after verifying it
// shows the verifier's statement word for word, the trust root and every
// header walked.
package api
