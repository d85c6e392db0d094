// Package app is jcredit's ABCI 2.0 state machine: the one piece of code
// every validator runs identically.
//
// CometBFT orders transactions; App decides what they mean. The flow of one
// block:
//
//	CheckTx          mempool admission: decode, signature, chain id, nonce,
//	                 signer status, message formats. Cheap, never writes.
//	PrepareProposal  the proposer drops transactions that cannot decode.
//	ProcessProposal  every validator rejects a proposal carrying such
//	                 transactions or exceeding the size limit.
//	FinalizeBlock    execute each transaction in its own write buffer: all of
//	                 its messages apply, or none do (the result code says
//	                 why). Returns the app hash: the IAVL root over the new
//	                 state, not yet saved.
//	Commit           save the IAVL version. Only now is the block durable.
//
// State is one IAVL tree (package store). Modules (x/accounts, x/projects,
// x/credits) own key prefixes in it and register one handler per message on
// a module.Router; the app routes by the message's protobuf full name.
//
// Determinism: transactions apply in block order, buffered writes reach the
// tree in key order, time comes from the block header, and nothing iterates
// a Go map into state.
package app
