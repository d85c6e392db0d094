// Package proof builds and verifies retirement proofs: self-contained JSON
// bundles that let anyone — an auditor, an NGO, a foreign buyer — confirm
// offline that a state key of the jcredit chain held a value (a retirement
// record, the range holding a serial, an account, a batch) or was absent,
// trusting nothing but a validator set they chose.
//
// Why a bundle convinces: the app's state is one IAVL tree whose root is
// the app hash. The app hash of state H is written in the header of block
// H+1, and that header is signed (through its hash, in the commit) by more
// than 2/3 of the voting power of the validator set it names. So a bundle
// carries the key and value, an ICS23 proof linking them to the app hash,
// header H+1, its commit and its validator set; the verifier checks the
// signatures, that the set is the trusted one, and the ICS23 proof.
//
// When the validator set has changed since the trust root (genesis, by
// default), the bundle also carries a chain of signed headers from the root
// to H+1. Every header of it is checked as fully as H+1 (every signature
// present, not only the first 2/3 of the power), and each follows from the
// previous one as CometBFT's light client requires (adjacent headers must
// name the next set; skipped ones need more than 1/3 of the trusted power
// among their signers). The trusted set may sign any header of the walk: a
// verifier holding a newer published set needs no chain from genesis. The
// light client's trusting period is not applied against the wall clock: a
// proof must verify in ten years; instead a verdict warns when its root is
// old (SECURITY.md explains why that matters).
//
// A verified bundle says exactly what it proves, as of when: Result.Statement
// ("AS OF state H (block time T): serial … is ACTIVE at H — says nothing about
// later heights"), the same words in jcreditd verify, -o json, the page and
// the API.
//
// Verify runs its checks in a fixed order and, on failure, returns a
// *StepError naming the step (format, header, validators, commit, trust,
// proof, record) so that a person can tell a damaged file from a forged
// one. Every byte of the bundle is covered: the file must be in its one
// canonical spelling (strict JSON, no key twice, exact field names, enum
// names, validators in CometBFT's order, canonical protobuf proofs), the
// validator set is kept without proposer priorities (which no hash covers),
// every commit signature is verified, and the human-readable record must be
// exactly the proven value. Size, chain length, set size and nesting are
// bounded, and no input makes it panic (fuzzed; the WebAssembly build has
// no recovery).
//
// The package is pure (no I/O but what a Source does) and builds for
// GOOS=js GOARCH=wasm: the web page runs the same verifier.
//
// The verifier reads CometBFT's headers, commits and validator sets through
// light.go, the one place that re-expresses what a proof rests on of
// CometBFT's types package — the header hash, the validator-set hash, a
// precommit's sign bytes, the commit checks — over CometBFT's own crypto
// (ed25519 as consensus verifies it, SHA-256, its Merkle tree). light_test.go
// holds each to CometBFT's function on the real chains of testdata, on
// random signed and spoilt blocks and on random edits of the JSON. So the
// WebAssembly build does not import cometbft/types (with it come the ABCI
// gRPC service, net/http and the gogoproto registries): 13.2 MB, 2.9 MB
// gzipped, instead of 34.1 MB and 7.1 MB, and a cold verification in a
// fresh Node.js process (compile, start, verify a bundle with a 3-link
// chain) takes 3.1 s instead of 6.0 s, 15x the CLI's 0.2 s (medians of 5,
// make bench-verifier VERIFIER_BASE=d3588db). Only the bundle builder
// (build.go, cometbft.go, never compiled for the page) reads a node through
// CometBFT's types. A validator's key must be ed25519, the only kind a
// jcredit validator has. The format is
// specified in FORMAT.md; it is versioned by the "format" field
// (jcredit-proof/v1 and v2 are read), the state layout by the header's
// version.app.
package proof
