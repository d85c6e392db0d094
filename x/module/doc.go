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
//   - a Router on which the module registers one handler per message type;
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
// This package imports no database: it is the storage-free core that each
// module's types package (x/<module>/types: formats, ids, key layouts) and
// so the WebAssembly proof verifier build on. Key builds keys from
// fixed-width parts; IndexValue is the value of an index entry (never
// empty: ICS23 cannot prove a key absent next to an empty value); Walk
// reads a key range in bounded chunks, as the state migrations do.
package module
