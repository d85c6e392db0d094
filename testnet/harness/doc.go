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
//   - the workload's invariants on every node: each account the load
//     opened exists (OpenAccounts); per credit batch, issued = active +
//     retired + cancelled, the serial ranges tile 1..issued with no overlap,
//     and every holder's balance is what the committed transactions imply
//     (Credits).
//
// The harness only talks to nodes through their public interfaces
// (CometBFT RPC, ABCI queries), so what it checks is what a client sees.
//
// For an upgrade it can run a network on an earlier release: BuildRelease
// builds that release's jcreditd from its git tag (cached under
// build/release-<commit>), ReleaseGenerator has the release's own `jcreditd
// testnet` write the homes (its genesis format is its own), and Node.Bin
// switches a node to another binary between two starts. The load signs with
// the nonce rule of the state version the chain reports (QueryNonce).
//
// For comparison it can also run the same generated network with
// CometBFT's own `cometbft` binary and its built-in kvstore application
// instead of jcreditd (Options.App = AppKVStore): testnet/bench measures
// jcredit's throughput beside that baseline.
package harness
