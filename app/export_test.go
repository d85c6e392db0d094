package app

// SetStateVersion makes a test App behave as a binary of another state
// version (a newer release with an upgrade, or an older one).
func SetStateVersion(a *App, v uint64) { a.stateVersion = v }

// WorkingHash is the root hash including uncommitted writes.
func WorkingHash(a *App) []byte { return a.tree.WorkingHash() }

// SetUnmetered turns the gas meter off, so that a benchmark can measure
// what the meter costs (results then report no gas used).
func SetUnmetered(a *App, off bool) { a.unmetered = off }

// BlockMaxGas is the block gas limit the app applies.
func BlockMaxGas(a *App) int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.maxGas
}
