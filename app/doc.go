// Package app is jcredit's ABCI 2.0 state machine: the one piece of code
// every validator runs identically.
//
// CometBFT orders transactions; App decides what they mean. The flow of one
// block:
//
//	CheckTx          mempool admission: decode (canonical form), signature,
//	                 chain id, timeout, gas limit, message formats, nonce,
//	                 signer status. Cheap, never writes, never panics.
//	PrepareProposal  the proposer drops transactions that cannot decode or
//	                 have timed out, and stops at the block's byte and gas
//	                 limits.
//	ProcessProposal  every validator rejects a proposal carrying a
//	                 transaction that cannot decode, or whose gas limits add
//	                 up to more than block.max_gas.
//	FinalizeBlock    execute each transaction (deliver, below). Returns the
//	                 app hash: the IAVL root over the new state, not yet
//	                 saved.
//	Commit           save the IAVL version. Only now is the block durable.
//
// What depends on a transaction's bytes alone — the envelope, the signer
// recovered from the signature, the messages decoded and validated — is
// worked out once per node and kept by the bytes' hash (sigcache.go,
// admit.go's decoded): RECHECK, the proposals and FinalizeBlock reuse what
// CheckTx found. Everything that depends on state is checked again.
//
// # A signed transaction is spent once
//
// Each signing key has a nonce, and a transaction carries the nonce it
// spends. In a block, a transaction that decodes in canonical form, has a
// valid signature, names this chain, is not past its timeout_height, has a
// gas limit within bounds that fits in what is left of the block's max_gas,
// and carries its key's next nonce SPENDS THAT NONCE, whatever its messages
// then do: the nonce write is kept while a failed transaction's other
// writes and events are discarded (Cosmos SDK's ante-handler semantics). A
// transaction failing any of those checks spends nothing and changes
// nothing (its result's gas_wanted is 0). So the same bytes can never run
// twice: a refused transfer cannot be replayed once its sender is topped
// up, and a third party rebroadcasting someone's failed transaction only
// gets "nonce already used". A transaction whose nonce is ahead is not
// spent: it may run once the gap is filled, unless its timeout_height has
// passed. A suspended or closed account's correctly signed transaction is
// refused and spends its nonce too, so it cannot run once the account is
// reactivated. CheckTx expects a signer's pending transactions to carry
// consecutive nonces after the committed one, since each will spend its own.
//
// # Work is metered
//
// Every store access a transaction's messages make is charged in gas
// (module.GasCosts: reads, writes, bytes, iterator steps, calibrated
// against CPU time: one gas is 0.5 to 1 ns of CPU on the reference
// machine, depending on the state's size), plus a flat cost per
// transaction (the signature, the envelope) and per message. A transaction
// may use at most its body's gas_limit (0: DefaultTxGas; at most MaxTxGas);
// past it, it fails with ErrOutOfGas and still spends its nonce. A block's
// transactions may reserve at most the consensus parameter block.max_gas
// between them (set at genesis, kept in state; the v2 upgrade gives a
// chain that v0.2.0 started, whose genesis said -1, DefaultBlockMaxGas).
// Results report gas_wanted (the limit) and gas_used.
//
// # Dry runs
//
// The simulate query (SimulatePath, simulate.go) runs a transaction
// against committed state as the next block would, with the same checks
// and the gas meter, in a buffer that is dropped: an unsigned body skips
// only the signature (and its nonce, since nothing is spent). It reports
// the gas used, from which the CLI's --gas auto sets a limit.
//
// # Results
//
// A refused transaction's result carries its codespace twice: in the
// codespace field, which tools read, and in data (tx.v1.ResultData), which
// CometBFT hashes into the next header's last_results_hash (the codespace
// field is not hashed), so that a proven result says which module refused
// it: code 8 is a stale nonce in "tx" and something else in each module.
//
// # Export (export.go)
//
// ExportGenesis writes the committed state at a height as an app_state:
// each module's ExportGenesis (the contract is in x/module's doc), the
// chain id, the block gas limit and the validators; a chain started from
// it (InitChain at the next height) holds exactly the same keys and
// values. It refuses a height not committed or not kept, and a state of
// another state version. ValidateGenesis checks a genesis by running
// InitChain on a state in memory.
//
// State is one IAVL tree (package store). Modules (x/accounts, x/projects,
// x/credits, x/upgrade) own key prefixes in it and register one handler per
// message on a module.Router; the app routes by the message's protobuf full
// name.
//
// Determinism: transactions apply in block order, buffered writes reach the
// tree in key order, time comes from the block header, gas depends only on
// the store accesses made, and nothing iterates a Go map into state.
package app
