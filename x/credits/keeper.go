package credits

// Keeper is the credits module.
type Keeper struct {
	accounts AccountKeeper
}

// NewKeeper wires credits to the accounts module.
func NewKeeper(accounts AccountKeeper) *Keeper {
	return &Keeper{accounts: accounts}
}
