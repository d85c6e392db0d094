package node_test

import (
	"encoding/hex"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	ics23 "github.com/cosmos/ics23/go"
)

func hexString(b []byte) string { return hex.EncodeToString(b) }

func proofOf(t *testing.T, resp *abci.QueryResponse) *ics23.CommitmentProof {
	t.Helper()
	var p ics23.CommitmentProof
	if err := p.Unmarshal(resp.ProofOps.Ops[0].Data); err != nil {
		t.Fatal(err)
	}
	return &p
}
