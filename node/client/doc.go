// Package client talks to a jcredit node over CometBFT's RPC (the same
// port-26657 interface every CometBFT tool uses): it broadcasts signed
// transactions and waits for them to commit, reads an account's next
// nonce, runs ABCI queries, and checks a query's ICS23 proof against the
// app hash in the header of the following block.
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
