package testnet_test

// Retirement proofs on a real network (node/proof, node/api): a proof
// fetched from any node — over CometBFT's RPC or the node's public API —
// verifies offline against the genesis file; after the ministries add a
// validator, proofs carry a header chain from genesis and still verify.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cometbft/cometbft/privval"

	"github.com/jcredit/jcredit/node/proof"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

func TestProofsFromEveryNodeAndAcrossAValidatorSetChange(t *testing.T) {
	n := harness.New(t, harness.Options{Providers: 1, ProviderValidators: false})
	// The API half fetches account proofs, which a node serves only with
	// [api] public_holdings on (an account proof carries the whole record).
	for _, nd := range n.Nodes {
		p := filepath.Join(nd.Home, "config", "app.toml")
		conf, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(conf, []byte("public_holdings = false")) {
			t.Fatalf("%s: no public_holdings setting to turn on (%v)", p, err)
		}
		if err := os.WriteFile(p, bytes.Replace(conf, []byte("public_holdings = false"), []byte("public_holdings = true"), 1), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	n.Start(ctx)

	genesis, err := os.ReadFile(filepath.Join(n.Node("meti").Home, "config", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		t.Fatal(err)
	}
	subject := keyAddress(n.Keys["meti"])

	fromRPC := func(nd *harness.Node) *proof.Bundle {
		t.Helper()
		bd, err := (&proof.Builder{Source: proof.RPCSource{Client: nd.Client()}}).Account(ctx, subject)
		if err != nil {
			t.Fatalf("proof from %s: %v", nd.Name, err)
		}
		return bd
	}
	fromAPI := func(nd *harness.Node) []byte {
		t.Helper()
		res, err := http.Get(nd.API() + "/api/v1/proofs/account/" + subject)
		if err != nil {
			t.Fatalf("API of %s: %v", nd.Name, err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("API of %s: %d %s", nd.Name, res.StatusCode, body)
		}
		return body
	}

	for _, nd := range n.Nodes {
		bd := fromRPC(nd)
		if _, err := proof.Verify(bd, trust); err != nil {
			t.Fatalf("proof from %s (RPC): %v", nd.Name, err)
		}
		if len(bd.Chain) != 0 {
			t.Fatalf("proof from %s carries a header chain though the set never changed", nd.Name)
		}
		if _, err := proof.VerifyJSON(fromAPI(nd), trust); err != nil {
			t.Fatalf("proof from %s (API): %v", nd.Name, err)
		}
	}

	// The ministries add the provider's node as a validator (2 of 3).
	provider := n.Node("provider1")
	pv := privval.LoadFilePVEmptyState(filepath.Join(provider.Home, "config", "priv_validator_key.json"),
		filepath.Join(provider.Home, "data", "priv_validator_state.json"))
	sendAndCommit(t, n, "meti", &accountsv1.MsgProposeValidatorChange{Change: provePossession(t, n, pv.Key.PrivKey, &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: pv.Key.PubKey.Bytes(), Power: 1,
		Operator: keyAddress(n.Keys["provider1"]), Name: "provider1",
	})})
	approvedAt := sendAndCommit(t, n, "moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	if err := n.WaitAllAt(ctx, approvedAt+5); err != nil {
		t.Fatal(err)
	}
	if !validatorAt(t, n.Node("meti"), approvedAt+2, pv.Key.PubKey.Address()) {
		t.Fatalf("provider1 did not join the set at %d", approvedAt+2)
	}

	for _, nd := range n.Nodes {
		bd := fromRPC(nd)
		if len(bd.Chain) == 0 {
			t.Fatalf("proof from %s after the set changed has no header chain", nd.Name)
		}
		res, err := proof.Verify(bd, trust)
		if err != nil {
			t.Fatalf("proof from %s after the set changed: %v", nd.Name, err)
		}
		n.Logf("%s: proof of block %d verified from genesis through %d headers", nd.Name, res.BlockHeight, res.ChainLength)
		// Without its chain the new set is not trusted.
		bd.Chain = nil
		if _, err := proof.Verify(bd, trust); proof.StepOf(err) != proof.StepTrust {
			t.Fatalf("proof from %s without its chain: %v, want the trust step", nd.Name, err)
		}
		if _, err := proof.VerifyJSON(fromAPI(nd), trust); err != nil {
			t.Fatalf("proof from %s (API) after the set changed: %v", nd.Name, err)
		}
	}
}
