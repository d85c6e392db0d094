// Package testnet generates the home directories of a ready-to-run jcredit
// network: one CometBFT home per node (config.toml, genesis.json, validator
// and node keys), a shared genesis whose app_state opens the scheme's
// administrators (METI, MOE, MAFF with the ministry role, the secretariat)
// and the provider organisations, and persistent-peer wiring so that the
// nodes find each other without a seed.
//
// It is what `jcreditd testnet`, `make localnet-start`, the docker compose
// network in testnet/ and the multi-node tests all use, so that every way of
// running a network starts from the same files.
//
// Layout of the output directory:
//
//	DIR/network.json        the manifest: chain id, and per node its name,
//	                        home, node id, validator flag, P2P/RPC/API addresses
//	DIR/dev-keys.json       TEST ONLY: every genesis account's private key in
//	                        clear, for load generators and tests
//	DIR/<node>/config/      config.toml, app.toml (API address, snapshot
//	                        interval), genesis.json, node_key.json,
//	                        priv_validator_key.json
//	DIR/<node>/data/        priv_validator_state.json (CometBFT's and the
//	                        app's databases appear here once the node runs)
//	DIR/<node>/keys/        the organisation's account key as a go-ethereum
//	                        keystore (Web3 Secret Storage) file, <name>.json
//	DIR/keys/               every genesis account's keystore file, so that
//	                        DIR can serve as a client --home
//
// Addresses: each node gets either its own host (an IP counted up from
// StartIP, e.g. 127.0.0.2, 127.0.0.3, … on loopback or 10.x inside network
// namespaces, or a hostname such as a compose service name) with the
// standard ports, or a shared host with ports counted up by PortStep.
package testnet
