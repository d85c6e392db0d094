package accounts_test

import (
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// Corporate numbers of the tests (valid check digits).
const (
	cnNTA    = "7000012050002" // 国税庁
	cnToyota = "1180301018771"
)

func openOrg(name, cn, dept string) *accountsv1.MsgOpenAccount {
	return &accountsv1.MsgOpenAccount{
		Address: apptest.Addr(name).Hex(), LegalName: name + " K.K.", EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION,
		Country: "JP", Roles: []accountsv1.Role{holder}, CorporateNumber: cn, Department: dept, PostalAddress: "東京都千代田区",
	}
}

func TestOpenOrganisation(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	foreign := func(country, reg string) *accountsv1.MsgOpenAccount {
		return &accountsv1.MsgOpenAccount{
			Address: apptest.Addr("foreign").Hex(), LegalName: "Foreign Pte. Ltd.", EntityKind: accountsv1.EntityKind_ENTITY_KIND_FOREIGN_ENTITY,
			Country: country, Roles: []accountsv1.Role{holder}, RegistrationNumber: reg,
		}
	}
	wrongDigit := openOrg("a", "6000012050002", "")
	individual := openOrg("a", cnNTA, "")
	individual.EntityKind = accountsv1.EntityKind_ENTITY_KIND_INDIVIDUAL
	abroad := openOrg("a", cnNTA, "")
	abroad.Country = "US"
	deptAlone := openOrg("a", "", "環境部")
	for _, tc := range []struct {
		name string
		msg  *accountsv1.MsgOpenAccount
		err  *module.Error
	}{
		{"wrong check digit", wrongDigit, accounts.ErrInvalidCorporateNumber},
		{"wrong length", openOrg("a", "70000120500", ""), accounts.ErrInvalidCorporateNumber},
		{"an individual has no corporate number", individual, accounts.ErrInvalidDetails},
		{"a corporate number is Japanese", abroad, accounts.ErrInvalidDetails},
		{"a department needs its corporation's number", deptAlone, accounts.ErrInvalidDetails},
		{"country XX", foreign("XX", "201912345K"), accounts.ErrInvalidCountry},
		{"country not assigned", foreign("UK", "01234567"), accounts.ErrInvalidCountry},
		{"a foreign entity registered in JP", foreign("JP", "201912345K"), accounts.ErrInvalidDetails},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := c.State()
			reject(t, c, "secretariat", tc.err, tc.msg)
			c.OnlyNonceSpent(before, apptest.Addr("secretariat"), c.Nonce("secretariat")-1)
		})
	}
	c.MustExec("secretariat", foreign("SG", "201912345K"))
	acc := account(t, c, "foreign")
	if acc.Country != "SG" || acc.RegistrationNumber != "201912345K" || acc.CorporateNumber != "" {
		t.Fatalf("foreign entity: %+v", acc)
	}
}

// TestDepartmentAccounts: the accounts of one corporation, linked by its
// corporate number, are listed together, and only they.
func TestDepartmentAccounts(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	c.MustExec("secretariat", openOrg("toyota-hq", cnToyota, ""))
	c.MustExec("secretariat", openOrg("nta", cnNTA, ""))
	c.MustExec("secretariat", openOrg("toyota-env", cnToyota, "環境部"), openOrg("toyota-tokyo", cnToyota, "東京本社"))
	// One page per account, so that the cursor walks the index.
	list := func(cn string) []string {
		t.Helper()
		var names []string
		req := &accountsv1.QueryCorporateAccountsRequest{CorporateNumber: cn, Page: &queryv1.PageRequest{Limit: 1}}
		for {
			ans := &accountsv1.QueryCorporateAccountsResponse{}
			if err := c.Read("/accounts/CorporateAccounts", req, ans); err != nil {
				t.Fatal(err)
			}
			for _, a := range ans.Accounts {
				names = append(names, a.LegalName+"/"+a.Department)
			}
			if ans.Page.GetNextCursor() == "" {
				return names
			}
			req.Page = &queryv1.PageRequest{Limit: 1, Cursor: ans.Page.NextCursor}
		}
	}
	got := list(cnToyota)
	want := []string{"toyota-hq K.K./", "toyota-env K.K./環境部", "toyota-tokyo K.K./東京本社"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("departments of %s: %v, want %v", cnToyota, got, want)
	}
	if got := list(cnNTA); len(got) != 1 {
		t.Fatalf("%s: %v", cnNTA, got)
	}
	if got := list("8000020130001"); len(got) != 0 {
		t.Fatalf("no accounts: %v", got)
	}
	if err := c.Read("/accounts/CorporateAccounts", &accountsv1.QueryCorporateAccountsRequest{CorporateNumber: "6000012050002"}, &accountsv1.QueryCorporateAccountsResponse{}); err == nil {
		t.Fatal("a wrong check digit should be refused")
	}
}

// TestUpdateAccountDetails: the secretariat renames an account and moves
// its address; the replaced version is kept with its heights; a retirement
// made before keeps the legal name it had at its height.
func TestUpdateAccountDetails(t *testing.T) {
	c := apptest.New(t, withCredits(t, "alice")).ReplayAtEnd()
	c.MustExec("secretariat", &accountsv1.MsgUpdateAccountDetails{
		Address: apptest.Addr("alice").Hex(), LegalName: "Alice K.K.", PostalAddress: "大阪府大阪市", Reason: "registered address on file",
	})
	opened := c.Height
	retire := func() *creditsv1.Retirement {
		t.Helper()
		res := c.MustExec("alice", &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, FiscalYear: 2025})
		id := eventAttr(res.Events, "credits.retire", "retirement_id")
		ans := &creditsv1.QueryRetirementResponse{}
		if err := c.Read("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: id}, ans); err != nil {
			t.Fatal(err)
		}
		return ans.Retirement
	}
	before := retire()
	if before.AccountLegalName != "Alice K.K." {
		t.Fatalf("retirement names %q", before.AccountLegalName)
	}

	// Refusals: not the secretariat; nothing to change; no reason.
	upd := &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("alice").Hex(), LegalName: "Alice Holdings K.K.", PostalAddress: "東京都港区", Reason: "商号変更 (change of trade name), 登記 2026-04-01"}
	reject(t, c, "alice", accounts.ErrUnauthorized, upd)
	reject(t, c, "secretariat", accounts.ErrInvalidDetails, &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("alice").Hex(), LegalName: "Alice K.K.", PostalAddress: "大阪府大阪市", Reason: "same"})
	reject(t, c, "secretariat", accounts.ErrInvalidStatusReason, &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("alice").Hex(), LegalName: "X"})
	reject(t, c, "secretariat", accounts.ErrInvalidDetails, &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("alice").Hex(), LegalName: "X", Department: "環境部", Reason: "no corporate number"})

	c.MustExec("secretariat", upd)
	renamed := c.Height
	after := retire()
	if after.AccountLegalName != "Alice Holdings K.K." {
		t.Fatalf("new retirement names %q", after.AccountLegalName)
	}
	// The earlier record is unchanged: it keeps the name of its height.
	ans := &creditsv1.QueryRetirementResponse{}
	if err := c.Read("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: before.Id}, ans); err != nil {
		t.Fatal(err)
	}
	if ans.Retirement.AccountLegalName != "Alice K.K." {
		t.Fatalf("the earlier retirement now names %q", ans.Retirement.AccountLegalName)
	}

	acc := account(t, c, "alice")
	if acc.LegalName != "Alice Holdings K.K." || acc.PostalAddress != "東京都港区" || acc.DetailsVersion != 2 {
		t.Fatalf("account: %+v", acc)
	}
	hist := &accountsv1.QueryDetailsHistoryResponse{}
	if err := c.Read("/accounts/DetailsHistory", &accountsv1.QueryDetailsHistoryRequest{Account: apptest.Addr("alice").Hex()}, hist); err != nil {
		t.Fatal(err)
	}
	if len(hist.Details) != 2 {
		t.Fatalf("history: %v", hist.Details)
	}
	v1, v2 := hist.Details[0], hist.Details[1]
	if v1.Version != 1 || v1.LegalName != "alice" || v1.PostalAddress != "" || v1.UntilHeight != opened ||
		v2.Version != 2 || v2.LegalName != "Alice K.K." || v2.PostalAddress != "大阪府大阪市" || v2.FromHeight != opened || v2.UntilHeight != renamed ||
		v2.Reason != upd.Reason || v2.By != c.AccountNumber("secretariat") {
		t.Fatalf("history: %v", hist.Details)
	}
	checkInvariants(t, c)
}

// eventAttr is the value of attribute key of the first event of type typ.
func eventAttr(events []abci.Event, typ, key string) string {
	for _, e := range events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	return ""
}

// checkInvariants checks x/credits' conservation invariant on the
// committed state.
func checkInvariants(t *testing.T, c *apptest.Chain) {
	t.Helper()
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(snap); err != nil {
		t.Fatal(err)
	}
}

// TestOrganisationGenesis: an export of the accounts with their corporate
// numbers and details history imports into a new chain that answers the
// same (the cn/ index is rebuilt from the accounts).
func TestOrganisationGenesis(t *testing.T) {
	c := apptest.New(t, nil)
	c.MustExec("secretariat", openOrg("toyota-hq", cnToyota, ""), openOrg("toyota-env", cnToyota, "環境部"))
	c.MustExec("secretariat", &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("toyota-env").Hex(), LegalName: "Toyota Env K.K.", Department: "環境本部", Reason: "reorganisation"})
	c.MustExec("secretariat", &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("toyota-env").Hex(), LegalName: "Toyota Env K.K.", Department: "脱炭素推進部", Reason: "reorganisation"})

	c.MustExec("toyota-hq", grantMsg("toyota-env", c.Height+50, 7, retireAction))
	c.MustExec("toyota-hq", trusted([]string{"toyota-env"}, nil, accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON))
	// The module's whole export (x/accounts ExportGenesis) carries them.
	k, snap := keeperView(t, c)
	raw, err := k.ExportGenesis(snap)
	if err != nil {
		t.Fatal(err)
	}
	g := &accountsv1.GenesisState{}
	if err := module.UnmarshalJSON(raw, g); err != nil {
		t.Fatal(err)
	}
	if len(g.DetailsHistory) != 2 || len(g.Delegations) != 1 || len(g.TrustedRecipients) != 1 || g.TrustedRecipientDelayBlocks != 0 {
		t.Fatalf("exported history %v, delegations %v", g.DetailsHistory, g.Delegations)
	}
	d := apptest.New(t, app.GenesisState{"accounts": raw})
	for _, path := range []struct {
		path string
		req  proto.Message
		resp func() proto.Message
	}{
		{"/accounts/CorporateAccounts", &accountsv1.QueryCorporateAccountsRequest{CorporateNumber: cnToyota}, func() proto.Message { return &accountsv1.QueryCorporateAccountsResponse{} }},
		{"/accounts/DetailsHistory", &accountsv1.QueryDetailsHistoryRequest{Account: apptest.Addr("toyota-env").Hex()}, func() proto.Message { return &accountsv1.QueryDetailsHistoryResponse{} }},
		{"/accounts/Delegations", &accountsv1.QueryDelegationsRequest{Grantor: apptest.Addr("toyota-hq").Hex()}, func() proto.Message { return &accountsv1.QueryDelegationsResponse{} }},
		{"/accounts/TrustedRecipients", &accountsv1.QueryTrustedRecipientsRequest{Account: apptest.Addr("toyota-hq").Hex()}, func() proto.Message { return &accountsv1.QueryTrustedRecipientsResponse{} }},
		{"/accounts/Account", &accountsv1.QueryAccountRequest{Account: apptest.Addr("toyota-hq").Hex()}, func() proto.Message { return &accountsv1.QueryAccountResponse{} }},
	} {
		was, now := path.resp(), path.resp()
		if err := c.Read(path.path, path.req, was); err != nil {
			t.Fatal(err)
		}
		if err := d.Read(path.path, path.req, now); err != nil {
			t.Fatal(err)
		}
		// The answers' pages name different heights; the records must match.
		for _, m := range []proto.Message{was, now} {
			if pf := m.ProtoReflect().Descriptor().Fields().ByName("page"); pf != nil {
				m.ProtoReflect().Clear(pf)
			}
		}
		if !proto.Equal(was, now) {
			t.Fatalf("%s after import:\n%v\nwas\n%v", path.path, now, was)
		}
	}

	// A history with a gap is refused.
	g.DetailsHistory = g.DetailsHistory[1:]
	raw, _ = module.MarshalJSON(g)
	if err := initChainError(t, app.GenesisState{"accounts": raw}, nil); err == nil || !strings.Contains(err.Error(), "details_history") {
		t.Fatalf("a gap in the history: %v", err)
	}
}
