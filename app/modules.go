package app

import (
	"fmt"
	"path/filepath"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
	"github.com/jcredit/jcredit/x/upgrade"
)

// Open opens (or creates) the state database under dataDir and builds the
// app with every module wired in.
func Open(dataDir string) (*App, error) {
	tree, err := store.OpenDir("state", filepath.Clean(dataDir))
	if err != nil {
		return nil, err
	}
	a, err := NewWithTree(tree)
	if err == nil {
		a.dataDir = filepath.Clean(dataDir)
	}
	if err != nil {
		tree.Close()
		return nil, fmt.Errorf("build app: %w", err)
	}
	return a, nil
}

// NewWithTree builds the app with every module over an opened tree. This is
// the one place that lists the modules, in the order the app calls them, and
// hands each the keepers of the others it depends on.
func NewWithTree(tree *store.Tree) (*App, error) {
	acc := accounts.NewKeeper()
	cred := credits.NewKeeper(acc)
	proj := projects.NewKeeper(acc, cred)
	upg := upgrade.NewKeeper()
	acc.SetHooks(proj, cred)
	acc.SetUpgrades(upg)
	acc.SetUseRules(cred)
	acc.SetActionClassifiers(cred)
	modules := []module.Module{acc, proj, cred, upg}
	a, err := New(tree, acc, modules...)
	if err != nil {
		return nil, err
	}
	acc.SetMsgRunner(a.MsgRunner())
	a.registerUpgrades(acc, proj, cred)
	return a, nil
}

// Close closes the state database. Closing twice is harmless.
func (a *App) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.closed = true
	return a.tree.Close()
}
