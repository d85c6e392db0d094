package testnet_test

// Validator-set governance on a real network (x/accounts): four
// administrator validators and one provider running a full node. A ministry
// proposes making the provider's node a validator; with one approval
// nothing changes, with the second (2 of 3 ministries) CometBFT adds it and
// it signs blocks; a second quorum removes it and it stops signing.

import (
	"context"
	"crypto/ecdsa"
	"path/filepath"
	"testing"
	"time"

	cmtcrypto "github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// sendAndCommit signs msgs as the named genesis account, broadcasts them to
// a live node and waits for the block; it returns the block height.
func sendAndCommit(t *testing.T, n *harness.Network, name string, msgs ...proto.Message) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	key := n.Keys[name]
	if key == nil {
		t.Fatalf("no dev key for %s", name)
	}
	nd := n.Node("meti")
	addr := keyAddress(key)
	nonce, ok, err := harness.QueryNonce(ctx, nd, addr)
	if err != nil || !ok {
		t.Fatalf("account %s: %v", name, err)
	}
	body, err := tx.Build(n.Manifest.ChainID, nonce, "", msgs...)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, key)
	if err != nil {
		t.Fatal(err)
	}
	res, err := nd.Client().BroadcastTxCommit(ctx, raw)
	if err != nil {
		t.Fatalf("broadcast from %s: %v", name, err)
	}
	if res.CheckTx.Code != 0 || res.TxResult.Code != 0 {
		t.Fatalf("tx from %s rejected: check %d %s; block %d %s", name, res.CheckTx.Code, res.CheckTx.Log, res.TxResult.Code, res.TxResult.Log)
	}
	return res.Height
}

// validatorAt reports whether the node with address addr is in the
// validator set CometBFT reports for height h.
func validatorAt(t *testing.T, nd *harness.Node, h int64, addr types.Address) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	perPage := 100
	res, err := nd.Client().Validators(ctx, &h, nil, &perPage)
	if err != nil {
		t.Fatalf("validators at %d: %v", h, err)
	}
	for _, v := range res.Validators {
		if v.Address.String() == addr.String() {
			return true
		}
	}
	return false
}

// signedCommit reports whether addr's signature is in the commit of block h.
func signedCommit(t *testing.T, nd *harness.Node, h int64, addr types.Address) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := nd.Client().Commit(ctx, &h)
	if err != nil {
		t.Fatalf("commit %d: %v", h, err)
	}
	for _, s := range res.Commit.Signatures {
		if s.BlockIDFlag == types.BlockIDFlagCommit && s.ValidatorAddress.String() == addr.String() {
			return true
		}
	}
	return false
}

func TestValidatorAddedAndRemovedByMinistryQuorum(t *testing.T) {
	n := harness.New(t, harness.Options{Providers: 1, ProviderValidators: false})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	n.Start(ctx)
	if got := len(n.Validators()); got != 4 {
		t.Fatalf("%d validators at start, want 4", got)
	}
	provider := n.Node("provider1")
	cfg := filepath.Join(provider.Home, "config")
	pv := privval.LoadFilePVEmptyState(filepath.Join(cfg, "priv_validator_key.json"), filepath.Join(provider.Home, "data", "priv_validator_state.json"))
	pub := pv.Key.PubKey
	addr := pub.Address()
	meti := n.Node("meti")

	// One ministry's proposal changes nothing.
	proposedAt := sendAndCommit(t, n, "meti", &accountsv1.MsgProposeValidatorChange{Change: provePossession(t, n, pv.Key.PrivKey, &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: pub.Bytes(), Power: 1,
		Operator: keyAddress(n.Keys["provider1"]), Name: "provider1",
	})})
	if err := n.WaitAllAt(ctx, proposedAt+4); err != nil {
		t.Fatal(err)
	}
	for h := proposedAt; h <= proposedAt+3; h++ {
		if validatorAt(t, meti, h, addr) || signedCommit(t, meti, h, addr) {
			t.Fatalf("provider1 became a validator at %d on one ministry's proposal", h)
		}
	}

	// The second ministry's approval decides; CometBFT applies it two
	// blocks later and the node starts signing.
	approvedAt := sendAndCommit(t, n, "moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	n.Logf("proposed at %d, approved at %d", proposedAt, approvedAt)
	if err := n.WaitAllAt(ctx, approvedAt+6); err != nil {
		t.Fatal(err)
	}
	if validatorAt(t, meti, approvedAt+1, addr) {
		t.Fatalf("provider1 in the set at %d, before CometBFT's H+2", approvedAt+1)
	}
	if !validatorAt(t, meti, approvedAt+2, addr) {
		t.Fatalf("provider1 not in the validator set at %d", approvedAt+2)
	}
	signed := 0
	for h := approvedAt + 2; h <= approvedAt+6; h++ {
		if signedCommit(t, meti, h, addr) {
			signed++
		}
	}
	if signed == 0 {
		t.Fatalf("provider1 is a validator but signed none of blocks %d..%d\n%s", approvedAt+2, approvedAt+6, provider.LogTail(30))
	}
	n.Logf("provider1 signed %d of blocks %d..%d", signed, approvedAt+2, approvedAt+6)

	// Removal by quorum: it leaves the set and stops signing.
	sendAndCommit(t, n, "maff", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE, PubKey: pub.Bytes(),
	}})
	removedAt := sendAndCommit(t, n, "meti", &accountsv1.MsgApproveProposal{ProposalId: 2})
	if err := n.WaitAllAt(ctx, removedAt+6); err != nil {
		t.Fatal(err)
	}
	for h := removedAt + 2; h <= removedAt+6; h++ {
		if validatorAt(t, meti, h, addr) {
			t.Fatalf("provider1 still a validator at %d after removal at %d", h, removedAt)
		}
		if signedCommit(t, meti, h, addr) {
			t.Fatalf("provider1 signed block %d after its removal at %d", h, removedAt)
		}
	}
	n.AssertProgress(3, 60*time.Second)
	chain, err := n.CheckChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("all nodes agree up to height %d on %v", chain.Height, chain.Nodes)
}

func keyAddress(k *ecdsa.PrivateKey) string { return crypto.PubkeyToAddress(k.PublicKey).Hex() }

// provePossession signs ch with the node's consensus key for the
// network's chain (as `tx accounts propose-validator --consensus-key`
// does) and returns it.
func provePossession(t *testing.T, n *harness.Network, key cmtcrypto.PrivKey, ch *accountsv1.ValidatorChange) *accountsv1.ValidatorChange {
	t.Helper()
	var op common.Address
	if ch.Kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
		op = common.HexToAddress(ch.Operator)
	}
	sig, err := key.Sign(accountstypes.ValidatorPossessionSignBytes(n.Manifest.ChainID, ch.Kind, ch.PubKey, ch.Power, op))
	if err != nil {
		t.Fatal(err)
	}
	ch.PossessionSignature = sig
	return ch
}

// sendExpect is sendAndCommit for a transaction the block refuses with
// codespace/code; it returns the block height.
func sendExpect(t *testing.T, n *harness.Network, name, codespace string, code uint32, msgs ...proto.Message) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	nd := n.Node("meti")
	nonce, ok, err := harness.QueryNonce(ctx, nd, keyAddress(n.Keys[name]))
	if err != nil || !ok {
		t.Fatalf("account %s: %v", name, err)
	}
	body, err := tx.Build(n.Manifest.ChainID, nonce, "", msgs...)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, n.Keys[name])
	if err != nil {
		t.Fatal(err)
	}
	res, err := nd.Client().BroadcastTxCommit(ctx, raw)
	if err != nil {
		t.Fatalf("broadcast from %s: %v", name, err)
	}
	if res.CheckTx.Code != 0 {
		t.Fatalf("CheckTx refused the tx from %s: %d %s", name, res.CheckTx.Code, res.CheckTx.Log)
	}
	if res.TxResult.Codespace != codespace || res.TxResult.Code != code {
		t.Fatalf("tx from %s: got %s/%d (%s), want %s/%d", name, res.TxResult.Codespace, res.TxResult.Code, res.TxResult.Log, codespace, code)
	}
	return res.Height
}

// Finding 5 of issue 10: two ministries added a key that no node holds and
// the chain halted for good. On a real network of four validators (power 10
// each): a key no node runs (its holder even signs the possession proof)
// is refused with a third of the power or more; added with little power it
// is in CometBFT's set and the chain goes on committing, even with a
// validator's node down; a second ghost that would take the unproven share
// to a third is refused.
func TestGhostValidatorCannotHaltTheChain(t *testing.T) {
	n := harness.New(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	n.Start(ctx)
	ghost := ed25519.GenPrivKey()
	ghost2 := ed25519.GenPrivKey()
	add := func(key cmtcrypto.PrivKey, power int64) *accountsv1.MsgProposeValidatorChange {
		return &accountsv1.MsgProposeValidatorChange{Change: provePossession(t, n, key, &accountsv1.ValidatorChange{
			Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: key.PubKey().Bytes(), Power: power,
			Operator: keyAddress(n.Keys["meti"]), Name: "ghost",
		})}
	}
	// Power equal to the live validators' (40), and exactly a third (20).
	sendExpect(t, n, "meti", accounts.ErrUnprovenPower.Codespace, accounts.ErrUnprovenPower.Code, add(ghost, 40))
	sendExpect(t, n, "meti", accounts.ErrUnprovenPower.Codespace, accounts.ErrUnprovenPower.Code, add(ghost, 20))

	// 4 of 44: the quorum applies it; CometBFT has it from two blocks on.
	sendAndCommit(t, n, "meti", add(ghost, 4))
	approvedAt := sendAndCommit(t, n, "moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	if err := n.WaitAllAt(ctx, approvedAt+3); err != nil {
		t.Fatal(err)
	}
	if !validatorAt(t, n.Node("meti"), approvedAt+2, ghost.PubKey().Address()) {
		t.Fatalf("the ghost is not in CometBFT's set at %d", approvedAt+2)
	}
	// 17 of 57 would be fine alone; with the first ghost, 21 of 61 is not.
	sendExpect(t, n, "maff", accounts.ErrUnprovenPower.Codespace, accounts.ErrUnprovenPower.Code, add(ghost2, 17))

	// The chain commits, with the ghost silent and one validator down:
	// 30 of 44 sign.
	n.Node("secretariat").Stop()
	n.AssertProgress(5, 90*time.Second)
	chain, err := n.CheckChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("all nodes agree up to height %d on %v", chain.Height, chain.Nodes)
}
