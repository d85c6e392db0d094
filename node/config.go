package node

import (
	"fmt"
	"os"
	"path/filepath"

	cfg "github.com/cometbft/cometbft/config"
	"github.com/spf13/viper"

	"github.com/jcredit/jcredit/app/tx"
)

// AppDataDir is where the application's state lives, under the home.
func AppDataDir(home string) string { return filepath.Join(home, "data", "app") }

// KeysDir is where account key files live, under the home.
func KeysDir(home string) string { return filepath.Join(home, "keys") }

// DefaultPrometheusAddr is where the metrics listen unless config.toml
// says otherwise: the loopback interface only.
const DefaultPrometheusAddr = "127.0.0.1:26660"

// ConfigFile is CometBFT's config.toml under the home.
func ConfigFile(home string) string { return filepath.Join(home, "config", "config.toml") }

// DefaultConfig is CometBFT's default configuration rooted at home, with
// the few settings jcredit changes:
//   - Prometheus metrics on (CometBFT's, at 127.0.0.1:26660/metrics),
//     because a registry operator wants them, and on the loopback
//     interface only: metrics reveal peers, mempool and timing to anyone
//     who can reach the port (open it deliberately in config.toml);
//   - the ABCI app is in-process, so proxy_app is unused (left as written);
//   - the kv transaction indexer on (the default), since `tx` waits for its
//     transaction by hash;
//   - the mempool's max_tx_bytes equal to the app's limit (tx.MaxTxBytes),
//     so that a larger transaction is refused by the mempool itself, with
//     CometBFT's error, rather than admitted by CometBFT's 1 MiB default
//     and refused by the app.
//
// Everything else (ports, timeouts, peers) is CometBFT's default and is
// edited in config.toml.
func DefaultConfig(home, moniker string) *cfg.Config {
	c := cfg.DefaultConfig()
	c.SetRoot(home)
	if moniker != "" {
		c.Moniker = moniker
	}
	c.Instrumentation.Prometheus = true
	c.Instrumentation.PrometheusListenAddr = DefaultPrometheusAddr
	c.Instrumentation.Namespace = "cometbft"
	c.TxIndex.Indexer = "kv"
	c.Mempool.MaxTxBytes = tx.MaxTxBytes
	return c
}

// WriteConfig writes c to <root>/config/config.toml, creating the home's
// directories. The file is CometBFT's own template, so every option keeps
// its documentation comment.
func WriteConfig(c *cfg.Config) error {
	if err := ensureDirs(c.RootDir); err != nil {
		return err
	}
	cfg.WriteConfigFile(ConfigFile(c.RootDir), c)
	return nil
}

// ensureDirs makes the home's directories (config, data) private to the
// node's user, without writing a default config file.
func ensureDirs(home string) error {
	for _, d := range []string{home, filepath.Join(home, "config"), filepath.Join(home, "data")} {
		if err := PrivateDir(d); err != nil {
			return err
		}
	}
	return nil
}

// PrivateDir makes dir (and its missing parents) and leaves dir readable by
// its owner only (0700), also when it existed already: a node home holds
// the validator's signing key and the node's key, a keys directory the
// account keys.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	return nil
}

// LoadConfig reads <home>/config/config.toml the way CometBFT does (viper
// over the defaults, so a key missing from the file keeps its default) and
// checks it.
func LoadConfig(home string) (*cfg.Config, error) {
	path := ConfigFile(home)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no node configuration at %s (run `jcreditd init <moniker> --chain-id <id> --home %s` first): %w", path, home, err)
	}
	v := viper.New()
	v.SetConfigFile(path)
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c := cfg.DefaultConfig()
	if err := v.Unmarshal(c); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	c.SetRoot(home)
	if err := c.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
