package accounts_test

// Validator changes that cannot halt the chain, as the rules read:
//
//   - adding a key, or raising an unproven one, needs the key's own
//     signature over the change (possession);
//   - no change may give validators that have not signed a block a third
//     or more of the power;
//   - no change may leave the validators that signed recently two thirds
//     or less;
//
// each checked when proposed and again when the quorum applies it.

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// livenessWindow is the small window the safety scenarios use, so that a
// node can fall silent within a test.
const livenessWindow = 5

// safetyChain is a governance chain (meti, moe, maff, secretariat at power
// 10 each) whose blocks carry the votes of the given signing nodes.
func safetyChain(t *testing.T, nodes []string, signing ...string) *apptest.Chain {
	t.Helper()
	state, vals := validatorGenesis(nodes, func(g map[string]any) { g["livenessWindowBlocks"] = livenessWindow })
	c := apptest.NewWithValidators(t, state, vals).ReplayAtEnd()
	c.OpenAccount("provider", 0, provider)
	sign(c, signing...)
	return c
}

// sign makes the blocks from now on carry the votes of nodes.
func sign(c *apptest.Chain, nodes ...string) {
	c.Signing = nil
	for _, n := range nodes {
		c.Signing = append(c.Signing, apptest.ConsensusKey(n))
	}
}

func lastSigned(t *testing.T, c *apptest.Chain, node string) int64 {
	t.Helper()
	k, s := keeperView(t, c)
	v := k.GetValidator(s, apptest.ConsensusKey(node))
	if v == nil {
		t.Fatalf("%s is not a validator", node)
	}
	return v.LastSignedHeight
}

func TestLastSignedHeightFollowsTheVotes(t *testing.T) {
	c := safetyChain(t, genesisNodes, "meti", "moe", "maff")
	genesis := lastSigned(t, c, "secretariat")
	if genesis != 1 {
		t.Fatalf("a genesis validator counts as signed at the initial height, got %d", genesis)
	}
	c.Block()
	c.Block()
	// The votes of block H are for block H-1.
	if got := lastSigned(t, c, "meti"); got != c.Height-1 {
		t.Fatalf("meti last signed %d, want %d", got, c.Height-1)
	}
	if got := lastSigned(t, c, "secretariat"); got != genesis {
		t.Fatalf("secretariat, silent, last signed %d, want %d", got, genesis)
	}
	// The export carries the window and each validator's record.
	e, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(e.AppState, &state); err != nil {
		t.Fatal(err)
	}
	g := &accountsv1.GenesisState{}
	if err := protojson.Unmarshal(state["accounts"], g); err != nil {
		t.Fatal(err)
	}
	if g.LivenessWindowBlocks != livenessWindow || len(g.Validators) != len(genesisNodes) {
		t.Fatalf("exported window %d, %d validators", g.LivenessWindowBlocks, len(g.Validators))
	}
	for _, v := range g.Validators {
		if want := map[bool]int64{true: genesis, false: c.Height - 1}[v.Name == "secretariat-node"]; v.LastSignedHeight != want {
			t.Fatalf("exported %s last signed %d, want %d", v.Name, v.LastSignedHeight, want)
		}
	}
	// A vote from a key outside the set is ignored.
	c.Signing = append(c.Signing, apptest.ConsensusKey("stranger"))
	c.Block()
	if k, s := keeperView(t, c); k.GetValidator(s, apptest.ConsensusKey("stranger")) != nil {
		t.Fatal("a stranger's vote created a validator")
	}
}

func TestValidatorPossessionProof(t *testing.T) {
	c := safetyChain(t, genesisNodes, genesisNodes...)
	unsigned := addValidator("provider-node", "provider", 5)
	unsigned.Change.PossessionSignature = nil
	otherKey := addValidator("provider-node", "provider", 5)
	otherKey.Change.PossessionSignature = apptest.ProvePossession("someone-else", &accountsv1.ValidatorChange{
		Kind: otherKey.Change.Kind, PubKey: otherKey.Change.PubKey, Power: 5, Operator: otherKey.Change.Operator,
	}).PossessionSignature
	otherPower := addValidator("provider-node", "provider", 5)
	otherPower.Change.Power = 6 // signed for 5
	otherOperator := addValidator("provider-node", "provider", 5)
	otherOperator.Change.Operator = apptest.Addr("meti").Hex() // signed for the provider
	truncated := addValidator("provider-node", "provider", 5)
	truncated.Change.PossessionSignature = truncated.Change.PossessionSignature[:63]
	for _, tc := range []struct {
		name string
		msg  *accountsv1.MsgProposeValidatorChange
	}{
		{"no proof", unsigned},
		{"signed by another key", otherKey},
		{"signed for another power", otherPower},
		{"signed for another operator", otherOperator},
		{"truncated signature", truncated},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, "meti", accounts.ErrPossessionProof, tc.msg) })
	}
	// Proven: the proposal stands and the quorum applies it.
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	c.MustExec("moe", approve(1))

	// Raising the power of a node that has not signed yet needs a proof
	// too; lowering it, or raising a node that signs, does not.
	raise := setPower("provider-node", 8)
	raise.Change.PossessionSignature = nil
	reject(t, c, "meti", accounts.ErrPossessionProof, raise)
	lower := setPower("provider-node", 3)
	lower.Change.PossessionSignature = nil
	c.MustExec("meti", lower)
	sign(c, "meti", "moe", "maff", "secretariat", "provider-node")
	c.Block()
	c.Block()
	raise = setPower("provider-node", 8)
	raise.Change.PossessionSignature = nil
	c.MustExec("meti", raise)
}

// Finding 5 of issue 10: two ministries added a key that no node holds,
// with power equal to the live validator's, and the chain halted for good.
// Now the proposal is refused (the key holder may even prove possession and
// still run no node): a key that has never signed may not hold a third.
func TestGhostValidatorCannotHaltTheChain(t *testing.T) {
	c := safetyChain(t, []string{"meti"}, "meti")
	c.Block()
	reject(t, c, "meti", accounts.ErrUnprovenPower, addValidator("ghost", "meti", 10))
	// Anything at or above a third of the new total is refused; below, the
	// set keeps more than two thirds signing without the ghost.
	reject(t, c, "meti", accounts.ErrUnprovenPower, addValidator("ghost", "meti", 5)) // 5 of 15
	c.MustExec("meti", addValidator("ghost", "meti", 4))                              // 4 of 14
	c.MustExec("moe", approve(1))
	// Its power cannot then be raised, nor a second ghost added, past a
	// third together.
	reject(t, c, "meti", accounts.ErrUnprovenPower, addValidator("ghost-2", "meti", 1)) // 5 of 15
	reject(t, c, "meti", accounts.ErrUnprovenPower, setPower("ghost", 5))               // 5 of 15
	// The chain is never at its mercy: meti alone holds more than two
	// thirds, and removing the ghost is always possible.
	c.MustExec("meti", removeValidator("ghost"))
	c.MustExec("moe", approve(2))
	if k, s := keeperView(t, c); k.GetValidator(s, apptest.ConsensusKey("ghost")) != nil {
		t.Fatal("the ghost is still in the set")
	}
}

// The rules are checked again when the quorum is reached: two additions
// each fine alone, the second refused once the first applied.
func TestUnprovenPowerCheckedWhenApplied(t *testing.T) {
	c := safetyChain(t, genesisNodes, genesisNodes...)
	c.MustExec("meti", addValidator("ghost-a", "meti", 10)) // proposal 1: 10 of 50
	c.MustExec("meti", addValidator("ghost-b", "meti", 10)) // proposal 2: 10 of 50
	c.MustExec("moe", approve(1))
	reject(t, c, "moe", accounts.ErrUnprovenPower, approve(2)) // 20 of 60
	k, s := keeperView(t, c)
	if p := k.GetProposal(s, 2); p.Status != accountsv1.ProposalStatus_PROPOSAL_STATUS_PENDING {
		t.Fatalf("refused proposal 2 is %s", p.Status)
	}
	// Once ghost-a's node runs and signs, it is proven and ghost-b fits.
	sign(c, append(genesisNodes, "ghost-a")...)
	c.Block()
	c.Block()
	c.MustExec("moe", approve(2))
}

func TestLiveValidatorsKeepTwoThirds(t *testing.T) {
	c := safetyChain(t, genesisNodes, genesisNodes...)
	// Proposed while all four sign: 40 of 45 live.
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	c.MustExec("meti", removeValidator("moe"))

	// The secretariat's node falls silent for longer than the window.
	sign(c, "meti", "moe", "maff")
	for i := 0; i <= livenessWindow; i++ {
		c.Block()
	}
	// Now 30 of 45 would be live: the quorum's approval is refused and the
	// proposal stays pending.
	reject(t, c, "moe", accounts.ErrLiveQuorumAtRisk, approve(1))
	// Removing a live node (20 of 30 left live) is refused, at approval and
	// as a new proposal.
	reject(t, c, "maff", accounts.ErrLiveQuorumAtRisk, approve(2))
	reject(t, c, "maff", accounts.ErrLiveQuorumAtRisk, removeValidator("maff"))
	// Raising a silent node's power lowers the live share: refused.
	reject(t, c, "maff", accounts.ErrLiveQuorumAtRisk, setPower("secretariat", 20))
	// Removing the silent one only helps: allowed, and applied.
	c.MustExec("maff", removeValidator("secretariat")) // proposal 3
	c.MustExec("moe", approve(3))

	// The secretariat's node is back... but removed; the addition now
	// fits (30 live of 35).
	c.MustExec("moe", approve(1))
}
