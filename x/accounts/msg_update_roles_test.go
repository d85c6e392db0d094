package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func rolesMsg(name string, roles ...accountsv1.Role) *accountsv1.MsgUpdateRoles {
	return &accountsv1.MsgUpdateRoles{Address: apptest.Addr(name).Hex(), Roles: roles}
}

func TestUpdateRoles(t *testing.T) {
	c := scenario(t)
	res := c.MustExec("secretariat", rolesMsg("provider", holder, provider))
	if !hasEvent(res.Events, accounts.EventUpdateRoles, "account", apptest.Addr("provider").Hex()) {
		t.Fatalf("no event: %v", res.Events)
	}
	if got := account(t, c, "provider").Roles; len(got) != 2 || got[0] != provider || got[1] != holder {
		t.Fatalf("roles = %v, want sorted [provider holder]", got)
	}
	k, s := keeperView(t, c)
	if !k.HasRole(s, numberOf(k, s, "provider"), holder) || !k.HasRole(s, numberOf(k, s, "provider"), provider) {
		t.Fatal("HasRole does not see the new roles")
	}
	// Removing a role takes it out of the role index too.
	c.MustExec("secretariat", rolesMsg("provider", holder))
	ans := &accountsv1.QueryAccountsResponse{}
	if err := c.Read("/accounts/Accounts", &accountsv1.QueryAccountsRequest{Role: provider}, ans); err != nil || len(ans.Accounts) != 0 {
		t.Fatalf("providers after removal: %v %v", ans, err)
	}
	// A ministry may hold further roles, as long as the ministry role stays.
	c.MustExec("secretariat", rolesMsg("meti", ministry, verifier))
	// A second secretariat lets the first give up the role.
	c.MustExec("secretariat", rolesMsg("holder", secretariat))
	c.MustExec("holder", rolesMsg("secretariat", holder))
}

func TestUpdateRolesRejections(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("creator").Hex(), Reason: "wound up"})
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgUpdateRoles
		err    *module.Error
	}{
		{"not the secretariat", "meti", rolesMsg("holder", provider), accounts.ErrUnauthorized},
		{"grant ministry", "secretariat", rolesMsg("holder", ministry, holder), accounts.ErrMinistryQuorumOnly},
		{"revoke ministry", "secretariat", rolesMsg("meti", verifier), accounts.ErrMinistryQuorumOnly},
		{"closed account", "secretariat", rolesMsg("creator", holder), accounts.ErrAccountClosed},
		{"unknown account", "secretariat", rolesMsg("nobody", holder), accounts.ErrUnknownAccount},
		{"last secretariat", "secretariat", rolesMsg("secretariat", holder), accounts.ErrLastSecretariat},
		{"unknown role", "secretariat", &accountsv1.MsgUpdateRoles{Address: apptest.Addr("holder").Hex(), Roles: []accountsv1.Role{42}}, accounts.ErrInvalidAccount},
		{"bad address", "secretariat", &accountsv1.MsgUpdateRoles{Address: "holder"}, accounts.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
