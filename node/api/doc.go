// Package api is a node's public, read-only HTTP API and web page, served
// on their own port (jcreditd start --api.laddr, or [api] laddr in
// config/app.toml; default 127.0.0.1:1317; empty turns it off), apart from
// CometBFT's RPC.
//
// Everything is GET (HEAD and CORS preflight OPTIONS too); any other method
// gets 405 with "Allow: GET, HEAD, OPTIONS". Every GET answer carries
// "Access-Control-Allow-Origin: *", so other sites may show the registry's
// data. Nothing here can change state: answers come from the app's
// read-only queries on committed state and from CometBFT's headers.
// Answers are JSON (records in protobuf JSON); errors are
// {"error": "..."} with 400 (bad request), 404 (not found) or 5xx. Every
// path and query parameter is checked first: a malformed id, an unknown
// parameter or a path that is not UTF-8 is 400 on every route, saying what
// a valid one looks like; a well-formed id of nothing is 404. Record
// answers carry the state height in the X-Jcredit-Height header. Records
// name accounts by their stable number; answers list those accounts under
// "accounts" ({number, address, legal_name}, as of that height). An
// account is asked about by address (one of its keys) or by number.
//
// The server is public, so it bounds what a client can hold (Limits):
// at most 256 connections, the longest-idle one closed when a newcomer needs
// room (503 if none is idle); request headers within 5 s and the request
// within 15 s; an answer within 60 s; idle keep-alive connections closed
// after 30 s. Every answer carries a Content-Security-Policy (the page's own
// scripts and the WebAssembly verifier only, 'wasm-unsafe-eval' and no
// other eval, no inline code, no framing), X-Frame-Options: DENY,
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer.
//
//	GET /api/v1/status                         chain id and latest committed height
//	GET /api/v1/trust[?height=N]               the validator set of block N (default: genesis), its hash and the chain
//	                                           id, as this node reports it (a trust root for verify and the page)
//	GET /api/v1/batches[?recent=N]             every batch, oldest first; or the N newest, newest first
//	GET /api/v1/batches/{id}                   one batch with its supply counters (JC-00000001)
//	GET /api/v1/serials/{serial}               who holds a credit, its status, batch and retirement
//	GET /api/v1/holdings/{address|number}      an account's ranges and totals
//	GET /api/v1/retirements[?limit=N]          the N most recent retirements (default 20), newest first
//	GET /api/v1/retirements?account=0x…|N      retirements signed by or naming an account
//	GET /api/v1/retirements?beneficiary=NAME   retirements for a beneficiary (クレジット利用者名)
//	GET /api/v1/retirements?fiscal_year=2025   retirements reported in a fiscal year
//	GET /api/v1/retirements?use=re100          retirements for a use (USE_RE100, re100, ...)
//	GET /api/v1/retirements/{id}               one retirement record (JCR-00000001)
//	GET /api/v1/cancellations/{id}             one cancellation record (JCX-00000001)
//	GET /api/v1/projects[?status=&operator=&methodology=&after=&limit=]  projects
//	GET /api/v1/projects/{id}                  one project; /reports: its monitoring reports
//	GET /api/v1/accounts/{address|number}      an account's public record (number, current address, ...)
//	GET /api/v1/proofs/{kind}/{subject}[?download=1][&trust_height=N]
//	                                           a proof bundle (node/proof, FORMAT.md): kind is
//	                                           retirement, serial, account, batch or cancellation; an absence
//	                                           is a bundle too
//	GET /api/v1/proofs/{kind}/{subject}/statement[?trust_height=N]
//	                                           what that bundle proves, as this node's verifier words it
//	                                           ("AS OF state H (block time T): …"), the trust root and the walk:
//	                                           the answer of jcreditd verify -o json (verify the bundle yourself
//	                                           for assurance independent of this node)
//
// The web page (/) is embedded in the binary (web/): a bilingual
// (Japanese/English) search of serials and retirement ids, the retirement
// certificate, the proof download, and in-page verification by the Go
// verifier compiled to WebAssembly (web/verifier.wasm and Go's
// wasm_exec.js, built by make wasm and not committed). Nothing is fetched
// from outside the node. The page trusts, by default, the genesis
// validator set this node reports (/api/v1/trust) and shows its hash and
// chain id so that a visitor can compare them with published ones or enter
// others; after verifying it shows the verifier's statement word for word,
// the trust root and every header walked.
package api
