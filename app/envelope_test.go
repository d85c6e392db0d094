package app_test

// Issue 10 finding 2: envelope malleability. A third party appended an
// unknown field to someone's Tx, or put a decoy body field first: the copy
// had another hash, the same signature, and executed; the owner's original
// then failed as a replay.

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
)

func TestEnvelopeVariantsCannotRun(t *testing.T) {
	c := creditChain(t, 1, 100)
	original := c.Tx("s0", transferMsg("bob", 7))
	var env txv1.Tx
	if err := proto.Unmarshal(original, &env); err != nil {
		t.Fatal(err)
	}
	bodyField := func(b []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), b)
	}
	variants := map[string][]byte{
		"unknown field appended": protowire.AppendVarint(protowire.AppendTag(bytes.Clone(original), 99, protowire.VarintType), 1),
		"decoy body first":       append(bodyField([]byte("decoy")), original...),
		"body repeated":          append(bodyField(env.Body), original...),
		"unknown field first":    append(protowire.AppendVarint(protowire.AppendTag(nil, 7, protowire.VarintType), 3), original...),
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			if r := checkTx(t, c, v); r.Code != app.ErrNotCanonical.Code || r.Codespace != app.Codespace {
				t.Fatalf("CheckTx = %s/%d %q, want the non-canonical refusal", r.Codespace, r.Code, r.Log)
			}
			before := c.State()
			res := c.Block(v)[0]
			wantResult(t, "FinalizeBlock", res, app.ErrNotCanonical)
			if diff := before.Diff(c.State()); len(diff) != 0 {
				t.Fatalf("a refused variant changed %q", diff)
			}
		})
	}
	// The owner's original still runs, once.
	if res := c.Block(original)[0]; res.Code != 0 {
		t.Fatalf("the original was refused after its variants: %s", res.Log)
	}
	if got := activeOf(t, c, "bob"); got != 7 {
		t.Fatalf("bob holds %d, want 7", got)
	}
	c.ReplayAll()
}
