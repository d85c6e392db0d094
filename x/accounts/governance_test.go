package accounts_test

// Validator-set governance as the rules read: a ministry proposes, a quorum
// of ministries (2 of 3) decides, the decision reaches CometBFT as
// ValidatorUpdates at the end of the deciding block, and proposals that do
// not gather the quorum in time expire without effect.

import (
	"bytes"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

func validatorSet(t *testing.T, c *apptest.Chain) []*accountsv1.Validator {
	t.Helper()
	ans := &accountsv1.QueryValidatorsResponse{}
	if err := c.Read("/accounts/Validators", nil, ans); err != nil {
		t.Fatalf("validators: %v", err)
	}
	return ans.Validators
}

func powerOf(vs []*accountsv1.Validator, node string) int64 {
	for _, v := range vs {
		if bytes.Equal(v.PubKey, apptest.ConsensusKey(node)) {
			return v.Power
		}
	}
	return 0
}

func wantUpdates(t *testing.T, got []abci.ValidatorUpdate, want map[string]int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d validator updates %v, want %d", len(got), got, len(want))
	}
	for node, power := range want {
		found := false
		for _, u := range got {
			if bytes.Equal(u.PubKeyBytes, apptest.ConsensusKey(node)) {
				found = true
				if u.Power != power || u.PubKeyType != "ed25519" {
					t.Fatalf("update for %s: %v, want power %d", node, u, power)
				}
			}
		}
		if !found {
			t.Fatalf("no update for %s in %v", node, got)
		}
	}
	for i := 1; i < len(got); i++ {
		if bytes.Compare(got[i-1].PubKeyBytes, got[i].PubKeyBytes) >= 0 {
			t.Fatalf("updates not in key order: %v", got)
		}
	}
}

func TestGenesisValidatorsAreRecordedWithOperators(t *testing.T) {
	c := governanceChain(t)
	vs := validatorSet(t, c)
	if len(vs) != len(genesisNodes) {
		t.Fatalf("%d validators, want %d", len(vs), len(genesisNodes))
	}
	for _, n := range genesisNodes {
		k, s := keeperView(t, c)
		v := k.GetValidator(s, apptest.ConsensusKey(n))
		if v == nil || v.OperatorAccount != numberOf(k, s, n) || v.OperatorAccount == 0 || v.Operator != "" || v.Power != 10 || v.Name != n+"-node" || v.Address != accounts.ValidatorAddress(v.PubKey) {
			t.Fatalf("genesis validator %s: %+v", n, v)
		}
	}
	// A single validator is provable against the app hash.
	if res := c.Ask("/accounts/Validator", &accountsv1.QueryValidatorRequest{PubKey: hexKey("meti")}, true); res.Code != 0 || res.ProofOps == nil {
		t.Fatalf("validator proof: %s", res.Log)
	}
}

func TestQuorumAddsValidator(t *testing.T) {
	c := governanceChain(t)
	resp := c.BlockResponse(c.Tx("meti", addValidator("provider-node", "provider", 5)))
	wantCode(t, resp.TxResults[0], nil)
	wantUpdates(t, resp.ValidatorUpdates, nil)

	resp = c.BlockResponse(c.Tx("moe", approve(1)))
	wantCode(t, resp.TxResults[0], nil)
	wantUpdates(t, resp.ValidatorUpdates, map[string]int64{"provider-node": 5})
	if !hasEvent(resp.TxResults[0].Events, accounts.EventValidatorUpdate, "validator", accounts.ValidatorAddress(apptest.ConsensusKey("provider-node"))) {
		t.Fatalf("no validator event: %v", resp.TxResults[0].Events)
	}
	if got := powerOf(validatorSet(t, c), "provider-node"); got != 5 {
		t.Fatalf("provider-node power %d in state", got)
	}
	// Reported once: the next block carries no update.
	wantUpdates(t, c.BlockResponse().ValidatorUpdates, nil)
	// The third ministry's late approval is refused: it is decided.
	reject(t, c, "maff", accounts.ErrProposalNotPending, approve(1))
}

func TestOneMinistryChangesNothing(t *testing.T) {
	state, vals := validatorGenesis(genesisNodes, func(g map[string]any) { g["proposalTtlBlocks"] = "3" })
	c := apptest.NewWithValidators(t, state, vals).ReplayAtEnd()
	c.OpenAccount("provider", 0, provider)
	setBefore := validatorSet(t, c)

	n := c.Nonce("meti")
	for _, r := range c.Block(c.Sign("meti", n, addValidator("provider-node", "provider", 5)), c.Sign("meti", n+1, removeValidator("moe"))) {
		wantCode(t, r, nil)
	}
	submitted := c.Height
	reject(t, c, "meti", accounts.ErrAlreadyApproved, approve(1)) // the proposer cannot count twice
	for c.Height < submitted+3 {
		resp := c.BlockResponse()
		wantUpdates(t, resp.ValidatorUpdates, nil)
		if c.Height == submitted+3 && (!hasEvent(resp.Events, accounts.EventExpired, "proposal", "1") || !hasEvent(resp.Events, accounts.EventExpired, "proposal", "2")) {
			t.Fatalf("no expiry events at the end of height %d: %v", c.Height, resp.Events)
		}
	}
	if got := validatorSet(t, c); len(got) != len(setBefore) || powerOf(got, "moe") != 10 || powerOf(got, "provider-node") != 0 {
		t.Fatalf("validator set changed: %v", got)
	}
	k, s := keeperView(t, c)
	if p := k.GetProposal(s, 1); p.Status != accountsv1.ProposalStatus_PROPOSAL_STATUS_EXPIRED || p.DecidedHeight != submitted+3 {
		t.Fatalf("proposal after its lifetime: %+v", p)
	}
	if len(k.PendingProposals(s)) != 0 {
		t.Fatal("expired proposals still pending")
	}
	// Too late now.
	reject(t, c, "moe", accounts.ErrProposalNotPending, approve(1))
}

func TestApprovalOnTheLastDay(t *testing.T) {
	state, vals := validatorGenesis(genesisNodes, func(g map[string]any) { g["proposalTtlBlocks"] = "2" })
	c := apptest.NewWithValidators(t, state, vals).ReplayAtEnd()
	c.MustExec("meti", setPower("moe", 30))
	c.BlockResponse()
	// Height submitted+2 is the proposal's expires_height: still open.
	resp := c.BlockResponse(c.Tx("maff", approve(1)))
	wantCode(t, resp.TxResults[0], nil)
	wantUpdates(t, resp.ValidatorUpdates, map[string]int64{"moe": 30})
	if hasEvent(resp.Events, accounts.EventExpired, "proposal", "1") {
		t.Fatal("applied proposal also expired")
	}
}

func TestQuorumRemovesAndReweights(t *testing.T) {
	c := governanceChain(t)
	c.MustExec("meti", removeValidator("secretariat"))
	c.MustExec("maff", setPower("meti", 25))
	resp := c.BlockResponse(c.Tx("moe", approve(1)), c.Tx("meti", approve(2)))
	wantCode(t, resp.TxResults[0], nil)
	wantCode(t, resp.TxResults[1], nil)
	wantUpdates(t, resp.ValidatorUpdates, map[string]int64{"secretariat": 0, "meti": 25})
	vs := validatorSet(t, c)
	if len(vs) != 3 || powerOf(vs, "secretariat") != 0 || powerOf(vs, "meti") != 25 {
		t.Fatalf("set after removal: %v", vs)
	}
	// With its node gone, the secretariat may be closed as a validator
	// operator would not be... it is still the only secretariat, though.
	reject(t, c, "secretariat", accounts.ErrLastSecretariat, closeMsg("secretariat"))
}

// TestOneUpdatePerKeyPerBlock: CometBFT rejects a block's updates if a key
// appears twice, and halts on removing a validator it never had. Several
// decisions about one node in one block are reported as their net effect.
func TestOneUpdatePerKeyPerBlock(t *testing.T) {
	c := governanceChain(t)
	// Added and removed in the same block: CometBFT hears nothing.
	c.MustExec("meti", addValidator("flicker", "provider", 5)) // 1
	moe := c.Nonce("moe")
	resp := c.BlockResponse(
		c.Sign("moe", moe, approve(1)),
		c.Tx("meti", removeValidator("flicker")), // 2
		c.Sign("moe", moe+1, approve(2)),
	)
	for i, r := range resp.TxResults {
		if r.Code != 0 {
			t.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	wantUpdates(t, resp.ValidatorUpdates, nil)

	// Re-weighted twice in one block: one update with the final power.
	c.MustExec("meti", setPower("maff", 40)) // 3
	c.MustExec("maff", setPower("maff", 50)) // 4
	resp = c.BlockResponse(c.Tx("moe", approve(3)), c.Tx("meti", approve(4)))
	wantUpdates(t, resp.ValidatorUpdates, map[string]int64{"maff": 50})
}

func TestValidatorSetNeverEmpties(t *testing.T) {
	state, vals := validatorGenesis([]string{"meti", "moe"}, nil)
	c := apptest.NewWithValidators(t, state, vals).ReplayAtEnd()
	c.MustExec("meti", removeValidator("meti")) // 1
	c.MustExec("meti", removeValidator("moe"))  // 2
	// Both decided in one block: the second would empty the set and is
	// refused; CometBFT only hears of the first.
	resp := c.BlockResponse(c.Tx("maff", approve(1)), c.Tx("moe", approve(2)))
	wantCode(t, resp.TxResults[0], nil)
	wantCode(t, resp.TxResults[1], accounts.ErrEmptyValidatorSet)
	wantUpdates(t, resp.ValidatorUpdates, map[string]int64{"meti": 0})
	reject(t, c, "meti", accounts.ErrEmptyValidatorSet, removeValidator("moe"))
}

func TestGenesisMustMatchCometBFT(t *testing.T) {
	state, vals := validatorGenesis(genesisNodes, nil)
	for _, tc := range []struct {
		name string
		vals []abci.ValidatorUpdate
	}{
		{"a node app_state does not name", append(append([]abci.ValidatorUpdate(nil), vals...),
			abci.ValidatorUpdate{PubKeyType: "ed25519", PubKeyBytes: apptest.ConsensusKey("stray"), Power: 1})},
		{"a node genesis.json does not run", vals[1:]},
		{"another power", append([]abci.ValidatorUpdate{{PubKeyType: "ed25519", PubKeyBytes: vals[0].PubKeyBytes, Power: 11}}, vals[1:]...)},
		{"a secp256k1 node", append([]abci.ValidatorUpdate{{PubKeyType: "secp256k1", PubKeyBytes: vals[0].PubKeyBytes, Power: 10}}, vals[1:]...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := initChainError(t, state, tc.vals)
			if err == nil {
				t.Fatal("InitChain accepted a validator set that does not match app_state")
			}
			t.Logf("%v", err)
		})
	}
}
