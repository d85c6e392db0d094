package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func openMsg(name string, roles ...accountsv1.Role) *accountsv1.MsgOpenAccount {
	return &accountsv1.MsgOpenAccount{
		Address: apptest.Addr(name).Hex(), LegalName: name + " K.K.",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: roles,
	}
}

func TestOpenAccount(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	res := c.MustExec("secretariat", openMsg("kyoto-city", creator, holder))
	if !hasEvent(res.Events, accounts.EventOpen, "account", apptest.Addr("kyoto-city").Hex()) {
		t.Fatalf("no %s event: %v", accounts.EventOpen, res.Events)
	}
	acc := account(t, c, "kyoto-city")
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE || c.Nonce("kyoto-city") != 0 || acc.OpenedHeight != c.Height ||
		acc.Number != uint64(len(apptest.DefaultAccounts())+1) || c.AccountNumber("kyoto-city") != acc.Number ||
		len(acc.Roles) != 2 || acc.Roles[0] != creator || acc.Roles[1] != holder || acc.LegalName != "kyoto-city K.K." {
		t.Fatalf("opened account: %+v", acc)
	}
	// The new key is admitted as a signer at once: the handler, not Admit,
	// turns this down.
	reject(t, c, "kyoto-city", accounts.ErrUnauthorized, &accountsv1.MsgApproveProposal{ProposalId: 1})
}

func TestOpenAccountRejections(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	c.OpenAccount("taken", 0, holder)
	foreign := openMsg("overseas", holder)
	foreign.EntityKind, foreign.Country = accountsv1.EntityKind_ENTITY_KIND_FOREIGN_ENTITY, "SG"
	c.MustExec("secretariat", foreign) // foreign entities may hold

	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgOpenAccount
		err    *module.Error
	}{
		{"not the secretariat", "meti", openMsg("a", holder), accounts.ErrUnauthorized},
		{"already open", "secretariat", openMsg("taken", holder), accounts.ErrAccountExists},
		{"ministry role", "secretariat", openMsg("b", ministry), accounts.ErrMinistryQuorumOnly},
		{"bad address", "secretariat", &accountsv1.MsgOpenAccount{Address: "0x123", LegalName: "x", EntityKind: 1, Country: "JP"}, accounts.ErrInvalidAddress},
		{"no legal name", "secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr("c").Hex(), EntityKind: 1, Country: "JP"}, accounts.ErrInvalidAccount},
		{"bad country", "secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr("c").Hex(), LegalName: "x", EntityKind: 1, Country: "Japan"}, accounts.ErrInvalidCountry},
		{"country XX", "secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr("c").Hex(), LegalName: "x", EntityKind: 1, Country: "XX"}, accounts.ErrInvalidCountry},
		{"repeated role", "secretariat", openMsg("d", holder, holder), accounts.ErrInvalidAccount},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
