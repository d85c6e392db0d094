// Package module is the contract between the application (package app) and the
// registry's modules (x/accounts, x/projects, x/credits).
//
// A module sees the world only through what this package defines:
//
//   - a KVStore, already narrowed to the module's own key prefix, whose writes
//     are buffered per transaction by the app and thrown away if the transaction
//     fails — so a handler may return an error at any point and leave nothing
//     behind;
//   - a Context carrying the block's height and time (never the wall clock),
//     the chain id, the transaction hash, the recovered signer and the
//     number of the account it signs for (x/accounts), and the
//     transaction's gas meter: every store access is charged from one cost
//     table (gas.go), and a handler may charge work the store does not see
//     with ctx.Gas.Charge; running out unwinds the handler and fails the
//     transaction;
//   - a Router on which the module registers one handler per message type,
//     and a QueryRouter on which it registers one handler per query;
//   - Error values with a codespace and a numbered code, which the app turns
//     into ABCI result codes a person can act on;
//   - text rules (text.go): free text that people read refuses control and
//     bidirectional-formatting characters;
//   - events, emitted through the Context, that CometBFT indexes.
//
// Modules never import app or node. When one module needs another (credits
// needs to know an account's roles), it declares the small interface it needs
// in its own expected_keepers.go and the app passes the other module's keeper.
//
// This package imports no database. Key builds keys from fixed-width
// parts; IndexValue is the value of an index entry (never empty: ICS23
// cannot prove a key absent next to an empty value); Walk reads a key range
// in bounded chunks, as the state migrations do. Key, Uint64, IndexValue
// and Error are defined in x/module/base, which imports no CometBFT either
// (this package's Context and Module carry ABCI types, and the ABCI package
// brings gRPC and net/http): each module's types package (x/<module>/types:
// formats, ids, key layouts) imports base, and so the WebAssembly proof
// verifier compiles neither ABCI nor gRPC.
//
// # Export: the whole state as a genesis (genesis.go)
//
// Every module implements ExportGenesis(s) next to InitGenesis, and the two
// are inverse: InitGenesis of what ExportGenesis wrote, at the next height,
// writes back exactly the keys and values of the module's store — every
// record with its id, number, serials, heights, times and tx hashes, every
// history (status changes, label changes, rotated keys, applied upgrades),
// every sequence (so that the imported chain numbers its next record as the
// exported one would have). Indexes are not exported: InitGenesis rebuilds
// them from the records. Anything written to state must be reachable from
// the export: a module that adds a record kind (a new key prefix) adds it to
// its genesis proto, ExportGenesis and InitGenesis in the same change.
// app/export_roundtrip_test.go enforces this without knowing any kind: it
// exports states built by the scenarios, imports them into a fresh app and
// compares the raw stores key by key (the allow-list of keys that may
// differ is empty).
//
// Determinism: records are listed in store-key order (Records walks a
// prefix in order) and encoded by MarshalGenesis — protobuf JSON with the
// proto field names, enums by name, unset fields left out, compacted by
// encoding/json (protojson deliberately varies its whitespace between
// builds; the compaction leaves one spelling). The app assembles the
// modules' entries in a JSON object with sorted keys. The same state
// therefore always gives the same bytes.
//
// An export names accounts the way a hand-written genesis may (by number
// in records, by address where the genesis format asks for it), and
// ValidateGenesis accepts it: the parts only an export carries (fields
// 50–59 of the genesis messages: retired keys, proposals, projects,
// reports, sequences) are checked like the rest.
//
// # The read side is a contract (query.go, page.go)
//
// Every module declares its queries in proto, as the rpcs of a `service
// Query` in proto/jcredit/<module>/v1/query.proto, each with a request
// message Query<Rpc>Request and a response Query<Rpc>Response. It registers
// a handler per rpc in RegisterQueries, typed like message handlers:
// RegisterQuery for answers no single key holds (lists), RegisterRecordQuery
// for one record, whose handler also returns the full state key whose value
// is the response's field 1. The app refuses to start if an rpc has no
// handler (QueryRouter.Check).
//
// Paths: the app answers an rpc as the ABCI query /<module>/<rpc> — for
// example /credits/Retirements — with the request in protobuf JSON as the
// query data (empty: every field unset; unknown fields refused). With
// prove=true a record's answer carries an ICS23 proof of its key.
//
// One JSON style (MarshalJSON): protobuf JSON with the proto field names,
// enums by name, 64-bit integers as strings, unset fields left out, no
// insignificant whitespace — the bytes of the ABCI answer, which the public
// API serves and `jcreditd q … -o json` prints as they are. Answers whose
// records name accounts by number carry them, resolved at the answer's
// height, as `repeated jcredit.query.v1.AccountRef accounts`.
//
// Paging, one scheme for every list (jcredit.query.v1.PageRequest
// `page` in the request, PageResponse `page` in the answer): a list walks
// one key range — the records, or one index of them — in key order, or
// descending with reverse; NewPage reads the request's page and Page.Walk
// visits entries from the cursor's position until limit (default 100, at
// most 1000) are listed or ScanBudget (10,000) examined, and returns the
// next cursor whenever entries remain. The cursor is opaque (base64 of the
// position, the direction, the state height and a fingerprint of the query
// and its filters): the app answers a request carrying one at its height,
// so that a walk reads one state, and a cursor cannot continue another
// query. A page cut by the scan budget says so (partial). An index walk
// reads the records its entries name through a Lookup: one iterator
// stepped from record to record while they are consecutive, rather than a
// seek for each, so its reads per record do not grow with the store.
//
// Names have no index: a list's name filter (NameFilter, name.go: NFKC
// folded, case-insensitive substring, so full- and half-width forms match)
// is checked on each record walked, within the scan budget.
package module
