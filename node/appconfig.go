package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/viper"

	"github.com/jcredit/jcredit/app"
)

// AppConfig is <home>/config/app.toml: the settings that belong to jcredit
// rather than to CometBFT (whose settings are in config.toml).
type AppConfig struct {
	// APIListen is the public read-only HTTP API's listen address
	// (host:port); empty turns the API off.
	APIListen string
	// PublicHoldings ([api] public_holdings, default off) has the public
	// API serve per-account holdings and every account detail; off, it
	// serves accounts' numbers, addresses and legal names only. Records
	// (retirements, cancellations, batches, projects, statistics) are
	// public either way, and CometBFT's RPC is not affected: the state is
	// replicated to every node and readable, with proofs, through RPC.
	PublicHoldings bool
	// SnapshotInterval: offer a state-sync snapshot at every height that
	// is a multiple of it (0: offer none).
	SnapshotInterval uint64
	// SnapshotKeepRecent: how many of the latest snapshots to offer.
	SnapshotKeepRecent uint64
	// SnapshotMaxRestoreBytes: the largest snapshot this node restores
	// when it joins by state sync (0: app.DefaultSnapshotMaxRestoreBytes).
	SnapshotMaxRestoreBytes uint64
}

// DefaultAppConfig serves the API on loopback and offers a snapshot every
// 1000 blocks.
func DefaultAppConfig() AppConfig {
	return AppConfig{APIListen: "127.0.0.1:1317", SnapshotInterval: 1000, SnapshotKeepRecent: 2, SnapshotMaxRestoreBytes: app.DefaultSnapshotMaxRestoreBytes}
}

// AppConfigFile is <home>/config/app.toml.
func AppConfigFile(home string) string { return filepath.Join(home, "config", "app.toml") }

// WriteAppConfig writes c to <home>/config/app.toml.
func WriteAppConfig(home string, c AppConfig) error {
	body := fmt.Sprintf(`# jcredit application settings (CometBFT's are in config.toml).

[api]
# Public read-only HTTP API and web page ("" turns it off).
laddr = "tcp://%s"
# Serve per-account holdings and account details (address, country,
# corporate number, roles, ...) to the public. Off: accounts show only their
# number, address and legal name, and holdings are refused. Retirements,
# cancellations, batches, projects and statistics are public either way.
# This governs this API only: the state is replicated to every node and
# readable through CometBFT's RPC (abci_query, with proofs); keep RPC
# private if holdings must stay confidential.
public_holdings = %t

[snapshots]
# Offer a state-sync snapshot at every height that is a multiple of this
# (0 offers none; a node can still join by state sync from others).
interval = %d
# How many of the latest snapshots to offer.
keep_recent = %d
# The largest snapshot (bytes) this node restores when it joins by state
# sync: a peer's larger offer is refused, and chunks adding up to more than
# the snapshot declared reject it. Chunks are streamed to data/%s.
max_restore_bytes = %d
`, c.APIListen, c.PublicHoldings, c.SnapshotInterval, c.SnapshotKeepRecent, "snapshot-restore", c.SnapshotMaxRestoreBytes)
	if err := PrivateDir(filepath.Dir(AppConfigFile(home))); err != nil {
		return err
	}
	return os.WriteFile(AppConfigFile(home), []byte(body), 0o644)
}

// LoadAppConfig reads <home>/config/app.toml; a missing file or key keeps
// the default.
func LoadAppConfig(home string) (AppConfig, error) {
	c := DefaultAppConfig()
	path := AppConfigFile(home)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("toml")
	if err := v.ReadInConfig(); err != nil {
		return c, fmt.Errorf("read %s: %w", path, err)
	}
	if v.IsSet("api.laddr") {
		c.APIListen = strings.TrimPrefix(v.GetString("api.laddr"), "tcp://")
	}
	if v.IsSet("api.public_holdings") {
		c.PublicHoldings = v.GetBool("api.public_holdings")
	}
	if v.IsSet("snapshots.interval") {
		c.SnapshotInterval = v.GetUint64("snapshots.interval")
	}
	if v.IsSet("snapshots.keep_recent") {
		c.SnapshotKeepRecent = v.GetUint64("snapshots.keep_recent")
	}
	if v.IsSet("snapshots.max_restore_bytes") {
		c.SnapshotMaxRestoreBytes = v.GetUint64("snapshots.max_restore_bytes")
	}
	return c, nil
}

// applyAppConfig hands the app its settings from app.toml.
func applyAppConfig(a *app.App, home string) error {
	c, err := LoadAppConfig(home)
	if err != nil {
		return err
	}
	a.SetSnapshotOptions(app.SnapshotOptions{Interval: c.SnapshotInterval, KeepRecent: c.SnapshotKeepRecent, MaxRestoreBytes: c.SnapshotMaxRestoreBytes})
	return nil
}
