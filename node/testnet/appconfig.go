package testnet

import (
	"fmt"
	"os"
	"path/filepath"
)

// AppConfig is what the generator writes to a node's config/app.toml: the
// settings that belong to jcredit rather than to CometBFT.
type AppConfig struct {
	// APIListen is the public HTTP API's listen address (host:port).
	APIListen string
	// SnapshotInterval: offer a state-sync snapshot every that many
	// blocks (0: none).
	SnapshotInterval uint64
}

// WriteAppConfig writes home/config/app.toml.
func WriteAppConfig(home string, c AppConfig) error {
	body := fmt.Sprintf(`# jcredit application settings (CometBFT's are in config.toml).

[api]
# Public read-only HTTP API and web page.
laddr = "tcp://%s"

[snapshots]
# Offer a state-sync snapshot every this many blocks (0 disables).
interval = %d
# How many recent snapshots to keep offering.
keep_recent = 2
`, c.APIListen, c.SnapshotInterval)
	return os.WriteFile(filepath.Join(home, "config", AppConfigFile), []byte(body), 0o644)
}
