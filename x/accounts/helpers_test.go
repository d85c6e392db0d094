package accounts_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Role shorthands.
const (
	ministry    = accountsv1.Role_ROLE_MINISTRY
	secretariat = accountsv1.Role_ROLE_SECRETARIAT
	verifier    = accountsv1.Role_ROLE_VERIFIER
	provider    = accountsv1.Role_ROLE_PROVIDER
	creator     = accountsv1.Role_ROLE_CREATOR
	holder      = accountsv1.Role_ROLE_HOLDER
)

// scenario is an apptest chain with the default administrators plus one
// account per non-administrative role.
func scenario(t *testing.T) *apptest.Chain {
	t.Helper()
	c := apptest.New(t, nil).ReplayAtEnd()
	c.OpenAccount("verifier", 0, verifier)
	c.OpenAccount("provider", 0, provider)
	c.OpenAccount("creator", 0, creator)
	c.OpenAccount("holder", 0, holder)
	return c
}

// genesisValidators is the validator set of governance scenarios: one node
// per ministry and one for the secretariat, power 10 each.
var genesisNodes = []string{"meti", "moe", "maff", "secretariat"}

func validatorGenesis(nodes []string, extra func(g map[string]any)) (app.GenesisState, []abci.ValidatorUpdate) {
	var vals []abci.ValidatorUpdate
	var entries []map[string]any
	for _, n := range nodes {
		vals = append(vals, abci.ValidatorUpdate{PubKeyType: "ed25519", PubKeyBytes: apptest.ConsensusKey(n), Power: 10})
		entries = append(entries, map[string]any{
			"pubKey": apptest.ConsensusKey(n), "power": "10", "operator": apptest.Addr(n).Hex(), "name": n + "-node",
		})
	}
	var g map[string]any
	if err := json.Unmarshal(apptest.AccountsGenesis(apptest.DefaultAccounts()), &g); err != nil {
		panic(err)
	}
	g["validators"] = entries
	if extra != nil {
		extra(g)
	}
	raw, err := json.Marshal(g)
	if err != nil {
		panic(err)
	}
	return app.GenesisState{"accounts": raw}, vals
}

// governanceChain starts a chain whose genesis validators are operated by
// the ministries and the secretariat, with a provider account opened.
func governanceChain(t *testing.T) *apptest.Chain {
	t.Helper()
	state, vals := validatorGenesis(genesisNodes, nil)
	c := apptest.NewWithValidators(t, state, vals).ReplayAtEnd()
	c.OpenAccount("provider", 0, provider)
	return c
}

// wantCode fails unless res carries err's codespace and code (nil: success).
func wantCode(t *testing.T, res *abci.ExecTxResult, err *module.Error) {
	t.Helper()
	if err == nil {
		if res.Code != 0 {
			t.Fatalf("want success, got %s/%d: %s", res.Codespace, res.Code, res.Log)
		}
		return
	}
	if res.Codespace != err.Codespace || res.Code != err.Code {
		t.Fatalf("want %s/%d (%s), got %s/%d: %s", err.Codespace, err.Code, err.Desc, res.Codespace, res.Code, res.Log)
	}
}

// reject executes msgs from name and checks that they fail with err and
// leave the state exactly as it was, but for the spent nonce.
func reject(t *testing.T, c *apptest.Chain, name string, err *module.Error, msgs ...proto.Message) *abci.ExecTxResult {
	t.Helper()
	res := c.ExecFails(name, msgs...)
	wantCode(t, res, err)
	return res
}

// account reads an account through the public query.
func account(t *testing.T, c *apptest.Chain, name string) *accountsv1.Account {
	t.Helper()
	return accountAt(t, c, apptest.Addr(name).Hex())
}

func accountAt(t *testing.T, c *apptest.Chain, addr string) *accountsv1.Account {
	t.Helper()
	ans := &accountsv1.QueryAccountResponse{}
	if err := c.Read("/accounts/Account", &accountsv1.QueryAccountRequest{Account: addr}, ans); err != nil {
		t.Fatalf("query account %s: %v", addr, err)
	}
	return ans.Account
}

// hasEvent reports whether events include one of type typ with attribute
// key=value.
func hasEvent(events []abci.Event, typ, key, value string) bool {
	for _, e := range events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key && a.Value == value {
				return true
			}
		}
	}
	return false
}

// keeperView reads committed state directly with a keeper.
func keeperView(t *testing.T, c *apptest.Chain) (*accounts.Keeper, module.KVStore) {
	t.Helper()
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return accounts.NewKeeper(), snap
}

// numberOf is the number of the account name's key signs for (0: none).
func numberOf(k *accounts.Keeper, s module.KVStore, name string) uint64 {
	n, _ := k.AccountNumber(s, apptest.Addr(name))
	return n
}

// answerAccounts reads the accounts an answer names: number -> address.
func answerAccounts(refs []*accountstypes.AccountRef) map[uint64]string {
	out := map[uint64]string{}
	for _, a := range refs {
		out[a.Number] = a.Address
	}
	return out
}

// withCredits returns the default genesis plus accounts for the named holders
// and a credits genesis (credits migrated from the legacy registry) giving
// each holder an active block of 100 credits. It uses x/credits' own genesis
// so that rotation and closing are tested against the real hooks.
func withCredits(t *testing.T, holders ...string) app.GenesisState {
	t.Helper()
	accs := apptest.DefaultAccounts()
	g := &creditsv1.GenesisState{}
	for i, h := range holders {
		accs = append(accs, apptest.GenesisAccount{Name: h, Roles: []accountsv1.Role{holder}})
		n := uint64(i + 1)
		g.Batches = append(g.Batches, &creditsv1.Batch{
			Id: creditstypes.BatchID(n), Number: n, ProjectId: "P-0001", ReportId: "R-0001", Methodology: "EN-S-001",
			Category: creditsv1.Category_CATEGORY_ENERGY_SAVING, VintageStart: "2024-04-01", VintageEnd: "2025-03-31", Issued: 100,
		})
		g.Ranges = append(g.Ranges, &creditsv1.Range{
			BatchId: creditstypes.BatchID(n), Start: 1, End: 100, Owner: apptest.Addr(h).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
		})
	}
	raw, err := protojson.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return app.GenesisState{"accounts": apptest.AccountsGenesis(accs), "credits": raw}
}

// holdings is the credits module's public answer for an account (its
// ranges, as one page), with the account number blanked so that answers
// for two addresses compare.
func holdings(t *testing.T, c *apptest.Chain, addr string) string {
	t.Helper()
	ans := &creditsv1.QueryHoldingsResponse{}
	if err := c.Read("/credits/Holdings", &creditsv1.QueryHoldingsRequest{Account: addr}, ans); err != nil {
		t.Fatalf("holdings %s: %v", addr, err)
	}
	ans.Accounts, ans.AccountNumber, ans.Page = nil, 0, nil
	return prototext.Format(ans)
}

func hexKey(node string) string { return hex.EncodeToString(apptest.ConsensusKey(node)) }

// initChainError runs InitChain on a fresh app and returns its error.
func initChainError(t *testing.T, state app.GenesisState, vals []abci.ValidatorUpdate) error {
	t.Helper()
	a, err := app.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	raw, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.InitChain(context.Background(), &abci.InitChainRequest{
		ChainId: apptest.ChainID, Time: apptest.GenesisTime, InitialHeight: 1, AppStateBytes: raw, Validators: vals,
	})
	return err
}

func b64Key(node string) string { return base64.StdEncoding.EncodeToString(apptest.ConsensusKey(node)) }

func apptestAddr(hex string) common.Address { return common.HexToAddress(hex) }

func mustMarshal(m proto.Message) []byte {
	bz, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bz
}
