// Package client talks to a jcredit node over CometBFT's RPC (the same
// port-26657 interface every CometBFT tool uses): it broadcasts signed
// transactions and waits for them to commit, reads an account's next
// nonce, runs ABCI queries, and checks a query's ICS23 proof against the
// app hash in the header of the following block.
//
// Nonces: a signed transaction is spent once. Each signing key has a nonce;
// a transaction must carry the key's next one. Once a transaction with that
// nonce is in a block, the nonce is spent whether its messages succeed or
// fail (a failed transaction's changes are discarded, the spent nonce is
// kept): the same bytes can never execute again, so a refused transfer
// cannot be replayed after its sender is topped up. Sign the next
// transaction with the next nonce (Nonce reads it from committed state),
// never re-send a failed one: re-sign it. A transaction refused before its
// nonce (bad envelope or signature, wrong chain id, past its
// timeout_height, no room left in its block, or a nonce that is not the
// key's next) spends nothing: its result's gas_wanted is 0. A body may
// carry timeout_height, the last block height it may execute at, to bound
// how long a signed transaction stays valid, and gas_limit (0: the app's
// default), the most gas it may use; see package app for the limits.
//
// What VerifyQuery proves, and what it does not: the app hash of height H is
// committed in header H+1, so a proof at height H is checked against the
// app hash of header H+1. The header is checked to be the one its commit
// signs, with +2/3 of the validator set that the header names. Both header
// and validator set come from the node being asked, so this catches a node
// that returns a proof inconsistent with its own chain, not a node that
// forges a whole chain; trusting the validator keys themselves is light
// client verification (CometBFT's light package), which the proof/verify
// commands build on.
package client
