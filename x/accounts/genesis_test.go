package accounts_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

func validGenesis() *accountsv1.GenesisState {
	g := &accountsv1.GenesisState{}
	for _, a := range apptest.DefaultAccounts() {
		g.Accounts = append(g.Accounts, &accountsv1.Account{
			Address: apptest.Addr(a.Name).Hex(), LegalName: a.Name, EntityKind: a.Kind, Country: "JP", Roles: a.Roles,
		})
	}
	g.Validators = []*accountsv1.Validator{{PubKey: apptest.ConsensusKey("meti"), Power: 10, Operator: apptest.Addr("meti").Hex(), Name: "meti-1"}}
	return g
}

func TestValidateGenesisDefaults(t *testing.T) {
	g := validGenesis()
	g.Accounts[0].Address = strings.ToLower(g.Accounts[0].Address)
	if err := accounts.ValidateGenesis(g); err != nil {
		t.Fatal(err)
	}
	if g.MinistryQuorum != 2 || g.ProposalTtlBlocks != accounts.DefaultProposalTTLBlocks {
		t.Fatalf("defaults: quorum %d, ttl %d", g.MinistryQuorum, g.ProposalTtlBlocks)
	}
	if g.Accounts[0].Address != apptest.Addr("meti").Hex() || g.Accounts[0].Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		t.Fatalf("account not normalised: %+v", g.Accounts[0])
	}
	if v := g.Validators[0]; v.PubKeyType != "ed25519" || v.Address != accounts.ValidatorAddress(v.PubKey) {
		t.Fatalf("validator not normalised: %+v", v)
	}
}

func TestValidateGenesisErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(g *accountsv1.GenesisState)
		want   string
	}{
		{"bad address", func(g *accountsv1.GenesisState) { g.Accounts[0].Address = "0xnope" }, "accounts[0]"},
		{"duplicate account", func(g *accountsv1.GenesisState) { g.Accounts = append(g.Accounts, g.Accounts[0]) }, "appears twice"},
		{"no legal name", func(g *accountsv1.GenesisState) { g.Accounts[1].LegalName = "" }, "legal name"},
		{"unknown role", func(g *accountsv1.GenesisState) { g.Accounts[1].Roles = []accountsv1.Role{99} }, "unknown role"},
		{"no secretariat", func(g *accountsv1.GenesisState) { g.Accounts = g.Accounts[:3] }, "secretariat"},
		{"quorum above ministries", func(g *accountsv1.GenesisState) { g.MinistryQuorum = 4 }, "exceeds the 3"},
		{"rotation history", func(g *accountsv1.GenesisState) { g.Accounts[0].PreviousAddresses = []string{"0x01"} }, "previous_addresses"},
		{"validator key type", func(g *accountsv1.GenesisState) { g.Validators[0].PubKeyType = "sr25519" }, "sr25519"},
		{"validator key size", func(g *accountsv1.GenesisState) { g.Validators[0].PubKey = []byte{1, 2, 3} }, "32 bytes"},
		{"validator twice", func(g *accountsv1.GenesisState) { g.Validators = append(g.Validators, g.Validators[0]) }, "appears twice"},
		{"validator power", func(g *accountsv1.GenesisState) { g.Validators[0].Power = 0 }, "power 0"},
		{"operator unknown", func(g *accountsv1.GenesisState) { g.Validators[0].Operator = apptest.Addr("x").Hex() }, "not among the genesis accounts"},
		{"operator not eligible", func(g *accountsv1.GenesisState) {
			g.Accounts = append(g.Accounts, &accountsv1.Account{Address: apptest.Addr("h").Hex(), LegalName: "h", EntityKind: 1, Country: "JP", Roles: []accountsv1.Role{holder}})
			g.Validators[0].Operator = apptest.Addr("h").Hex()
		}, "ministry, secretariat or provider"},
		{"operator suspended", func(g *accountsv1.GenesisState) {
			g.Accounts[0].Status = accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED
		}, "ACCOUNT_STATUS_SUSPENDED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := validGenesis()
			tc.mutate(g)
			err := accounts.ValidateGenesis(g)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestQuorumDefaultsToMinistriesPresent(t *testing.T) {
	g := validGenesis()
	g.Accounts = g.Accounts[2:] // maff and the secretariat
	g.Validators = nil
	if err := accounts.ValidateGenesis(g); err != nil {
		t.Fatal(err)
	}
	if g.MinistryQuorum != 1 {
		t.Fatalf("quorum %d with one ministry", g.MinistryQuorum)
	}
}
