package projects

// Keeper is the projects module.
type Keeper struct {
	accounts AccountKeeper
	credits  CreditIssuer
}

// NewKeeper wires projects to the accounts and credits modules.
func NewKeeper(accounts AccountKeeper, credits CreditIssuer) *Keeper {
	return &Keeper{accounts: accounts, credits: credits}
}
