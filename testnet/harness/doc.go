// Package harness runs real jcredit networks as operating-system processes
// and breaks them on purpose, the way CometBFT's own end-to-end suite does:
// it builds the jcreditd binary once per test run, generates the network's
// homes with node/testnet, starts one process per node (optionally each in
// its own Linux network namespace, so that a node can be cut off the
// network), drives signed transactions from many accounts while nodes are
// killed (SIGKILL), paused (SIGSTOP), partitioned, wiped or restarted, and
// then checks on every node what must hold whatever happened:
//
//   - every node has the same block hash and app hash at every height it
//     has;
//   - every transaction the harness saw accepted (CheckTx OK) is either
//     committed exactly once or reported as dropped — never silently lost;
//   - no transaction hash appears twice in the chain, and no (signer,
//     nonce) is applied twice;
//   - the application invariants (each account the load opened exists on
//     every node; per-batch credit conservation once credits are issued).
//
// The harness only talks to nodes through their public interfaces
// (CometBFT RPC, ABCI queries), so what it checks is what a client sees.
package harness
