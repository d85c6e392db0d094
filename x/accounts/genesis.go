package accounts

import (
	"encoding/json"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/encoding/protojson"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// DefaultMinistryQuorum is 2 of the 3 ministries.
const DefaultMinistryQuorum = 2

// ValidateGenesis checks a genesis state and normalises it in place
// (checksummed addresses, sorted roles, default quorum).
func ValidateGenesis(g *accountsv1.GenesisState) error {
	seen := map[common.Address]bool{}
	ministries := 0
	secretariat := false
	for i, acc := range g.Accounts {
		addr, err := ParseAddress(acc.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("account %d: %v", i, err)
		}
		if seen[addr] {
			return ErrInvalidGenesis.Wrapf("account %s appears twice", addr.Hex())
		}
		seen[addr] = true
		acc.Address = addr.Hex()
		if err := validateFields(acc.LegalName, acc.EntityKind, acc.Country); err != nil {
			return ErrInvalidGenesis.Wrapf("account %s: %v", addr.Hex(), err)
		}
		roles, err := normalizeRoles(acc.Roles)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("account %s: %v", addr.Hex(), err)
		}
		acc.Roles = roles
		if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_UNSPECIFIED {
			acc.Status = accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
		}
		for _, r := range roles {
			switch r {
			case accountsv1.Role_ROLE_MINISTRY:
				ministries++
			case accountsv1.Role_ROLE_SECRETARIAT:
				secretariat = true
			}
		}
	}
	if len(g.Accounts) > 0 && !secretariat {
		return ErrInvalidGenesis.Wrapf("no account has the secretariat role, so no account could ever be opened")
	}
	if g.MinistryQuorum == 0 {
		g.MinistryQuorum = DefaultMinistryQuorum
		if ministries < DefaultMinistryQuorum {
			g.MinistryQuorum = uint32(ministries)
		}
	}
	if int(g.MinistryQuorum) > ministries && ministries > 0 {
		return ErrInvalidGenesis.Wrapf("ministry quorum %d exceeds the %d ministry accounts", g.MinistryQuorum, ministries)
	}
	return nil
}

// InitGenesis loads accounts from the genesis app_state.
func (k *Keeper) InitGenesis(ctx module.Context, raw json.RawMessage) error {
	g := &accountsv1.GenesisState{}
	if len(raw) > 0 {
		if err := protojson.Unmarshal(raw, g); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
	}
	if err := ValidateGenesis(g); err != nil {
		return err
	}
	for _, acc := range g.Accounts {
		if acc.OpenedTime == nil {
			acc.OpenedHeight = ctx.Height
		}
		k.Set(ctx.Store, acc)
	}
	k.store(ctx.Store).Set(quorumKey, []byte(jsonUint(g.MinistryQuorum)))
	return nil
}

func jsonUint(v uint32) string { b, _ := json.Marshal(v); return string(b) }
