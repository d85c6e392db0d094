// Package node runs a jcredit validator or full node: CometBFT v1 in the same
// process as the jcredit ABCI application, over one home directory.
//
// Home layout (everything a node owns lives under one directory):
//
//	<home>/config/config.toml            CometBFT's configuration, as CometBFT writes it
//	<home>/config/app.toml               jcredit's own settings (public API address, snapshots)
//	<home>/config/genesis.json           chain id, validators, app_state (one entry per module)
//	<home>/config/node_key.json          p2p identity
//	<home>/config/priv_validator_key.json consensus signing key (ed25519)
//	<home>/data/                         CometBFT's block store, state, WAL, tx index
//	<home>/data/priv_validator_state.json last height/round/step signed (double-sign guard)
//	<home>/data/app/                     the application's IAVL state (app.Open)
//	<home>/keys/                         account keys: Web3 Secret Storage files (package keys)
//
// Writing a home is split into reusable steps so that a multi-node testnet
// can call them once per node and then share one genesis: DefaultConfig,
// WriteConfig, InitValidatorFiles, NewGenesis / ReadGenesis / WriteGenesis,
// AddGenesisAccount. InitHome composes them for the single-node case.
// ExportGenesis (export.go) goes the other way: it reads a stopped node's
// state read-only at a committed height and returns it as the genesis of a
// new chain starting at the next height (`jcreditd genesis export`).
//
// Running: New opens the app and builds the CometBFT node around it (nothing
// listens yet); Start starts consensus, p2p and the RPC server (port 26657
// by default); Stop stops CometBFT first, so that no ABCI call can arrive
// any more, and only then closes the app's database. A node restarted over
// the same home resumes from its last committed height: CometBFT's
// handshake asks the app for its height and app hash (Info) and replays any
// blocks the app has not committed.
//
// Concurrency: CometBFT talks to the app over four ABCI "connections"
// (consensus, mempool, query, snapshot). The app takes its own lock in every
// method that touches state, so the node uses the connection-synchronised
// local client (proxy.NewConnSyncLocalClientCreator): calls on one
// connection are serialised, while a query need not wait behind a block
// being executed.
package node
