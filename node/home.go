package node

import (
	"errors"
	"fmt"
	"os"

	cfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
)

// ErrHomeExists is returned by InitHome for a home that already has a
// genesis: initialising again would silently start a different chain.
var ErrHomeExists = errors.New("node home already initialised")

// HomeInfo describes an initialised home.
type HomeInfo struct {
	Home      string        `json:"home"`
	Moniker   string        `json:"moniker"`
	ChainID   string        `json:"chain_id"`
	NodeID    string        `json:"node_id"`
	Validator crypto.PubKey `json:"validator_pub_key"`
}

// InitValidatorFiles creates the node key and the validator's signing key
// and state for the config's home, keeping any that exist. It returns the
// validator's public key and the node's p2p id.
func InitValidatorFiles(c *cfg.Config) (crypto.PubKey, p2p.ID, error) {
	if err := ensureDirs(c.RootDir); err != nil {
		return nil, "", err
	}
	pv, err := privval.LoadOrGenFilePV(c.PrivValidatorKeyFile(), c.PrivValidatorStateFile(),
		func() (crypto.PrivKey, error) { return ed25519.GenPrivKey(), nil })
	if err != nil {
		return nil, "", fmt.Errorf("validator key: %w", err)
	}
	nodeKey, err := p2p.LoadOrGenNodeKey(c.NodeKeyFile())
	if err != nil {
		return nil, "", fmt.Errorf("node key: %w", err)
	}
	pub, err := pv.GetPubKey()
	if err != nil {
		return nil, "", err
	}
	return pub, nodeKey.ID(), nil
}

// InitHome writes a complete single-validator home: config.toml (CometBFT's
// defaults, see DefaultConfig), app.toml (DefaultAppConfig), node and
// validator keys, and a genesis with this node as the only validator and no
// accounts yet. It refuses a home
// that already has a genesis.
func InitHome(home, moniker, chainID string) (*HomeInfo, error) {
	if chainID == "" {
		return nil, errors.New("a chain id is required (for example --chain-id jcredit-local-1)")
	}
	if moniker == "" {
		return nil, errors.New("a moniker (the node's name) is required")
	}
	if _, err := os.Stat(GenesisFile(home)); err == nil {
		return nil, fmt.Errorf("%w: %s exists; use another --home or delete that directory", ErrHomeExists, GenesisFile(home))
	}
	c := DefaultConfig(home, moniker)
	if err := WriteConfig(c); err != nil {
		return nil, err
	}
	pub, id, err := InitValidatorFiles(c)
	if err != nil {
		return nil, err
	}
	doc, err := NewGenesis(chainID, timeZero, []GenesisValidator{{Name: moniker, PubKey: pub}})
	if err != nil {
		return nil, err
	}
	if err := WriteGenesis(home, doc); err != nil {
		return nil, err
	}
	if err := WriteAppConfig(home, DefaultAppConfig()); err != nil {
		return nil, err
	}
	return &HomeInfo{Home: home, Moniker: moniker, ChainID: chainID, NodeID: string(id), Validator: pub}, nil
}
