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

	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
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
	proposedAt := sendAndCommit(t, n, "meti", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: pub.Bytes(), Power: 1,
		Operator: keyAddress(n.Keys["provider1"]), Name: "provider1",
	}})
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
