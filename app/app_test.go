package app_test

import (
	"bytes"
	"context"
	"math/big"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func openMsg(name string) *accountsv1.MsgOpenAccount {
	return &accountsv1.MsgOpenAccount{
		Address: apptest.Addr(name).Hex(), LegalName: "Kyoto Forest Co.",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP",
		Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR},
	}
}

// TestLifecycle walks one transaction through every ABCI step, in the style
// of CometBFT's kvstore: CheckTx → PrepareProposal → ProcessProposal →
// FinalizeBlock → Commit → Info → Query with a proof that ics23 verifies.
func TestLifecycle(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	ctx := context.Background()
	raw := c.Tx("secretariat", openMsg("kyoto"))

	check, err := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
	if err != nil || check.Code != 0 {
		t.Fatalf("CheckTx: %v %+v", err, check)
	}
	prep, err := c.App.PrepareProposal(ctx, &abci.PrepareProposalRequest{Txs: [][]byte{raw}, MaxTxBytes: 1 << 20})
	if err != nil || len(prep.Txs) != 1 {
		t.Fatalf("PrepareProposal: %v %d txs", err, len(prep.Txs))
	}
	proc, err := c.App.ProcessProposal(ctx, &abci.ProcessProposalRequest{Txs: prep.Txs})
	if err != nil || proc.Status != abci.PROCESS_PROPOSAL_STATUS_ACCEPT {
		t.Fatalf("ProcessProposal: %v %v", err, proc.Status)
	}
	before := c.LastHash
	res := c.Block(prep.Txs...)
	if res[0].Code != 0 {
		t.Fatalf("FinalizeBlock: %+v", res[0])
	}
	if bytes.Equal(before, c.LastHash) {
		t.Fatal("app hash did not change after a state change")
	}
	if !hasEvent(res[0].Events, "accounts.open", "account", apptest.Addr("kyoto").Hex()) {
		t.Fatalf("no indexed accounts.open event: %+v", res[0].Events)
	}

	info, err := c.App.Info(ctx, &abci.InfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if info.LastBlockHeight != c.Height || !bytes.Equal(info.LastBlockAppHash, c.LastHash) {
		t.Fatalf("Info = height %d hash %X, want %d %X", info.LastBlockHeight, info.LastBlockAppHash, c.Height, c.LastHash)
	}

	q := c.Ask("/accounts/Account", &accountsv1.QueryAccountRequest{Account: apptest.Addr("kyoto").Hex()}, true)
	if q.Code != 0 {
		t.Fatalf("query: %s", q.Log)
	}
	var ans accountsv1.QueryAccountResponse
	if err := protojson.Unmarshal(q.Value, &ans); err != nil {
		t.Fatal(err)
	}
	acc := ans.Account
	if acc.LegalName != "Kyoto Forest Co." || acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		t.Fatalf("account = %v", acc)
	}
	// The proof carries the stored bytes; check them against the app hash.
	if len(q.ProofOps.GetOps()) != 1 || q.ProofOps.Ops[0].Type != app.ProofOpType {
		t.Fatalf("proof ops = %v", q.ProofOps)
	}
	var proof ics23.CommitmentProof
	if err := proof.Unmarshal(q.ProofOps.Ops[0].Data); err != nil {
		t.Fatal(err)
	}
	stored := proof.GetExist().GetValue()
	var provenAcc accountsv1.Account
	if err := proto.Unmarshal(stored, &provenAcc); err != nil || provenAcc.LegalName != acc.LegalName {
		t.Fatalf("proven value does not decode to the account: %v", err)
	}
	if !ics23.VerifyMembership(ics23.IavlSpec, info.LastBlockAppHash, &proof, q.Key, stored) {
		t.Fatal("ICS23 membership proof does not verify against the app hash")
	}
	if ics23.VerifyMembership(ics23.IavlSpec, info.LastBlockAppHash, &proof, q.Key, append(stored, 0)) {
		t.Fatal("proof verified a different value")
	}
	// A key with no account is proven absent.
	q = c.Query(app.StoreKeyPath, []byte(bytesHex(accountstypes.KeyRefStoreKey(apptest.Addr("nobody")))), true)
	if err := proof.Unmarshal(q.ProofOps.Ops[0].Data); err != nil {
		t.Fatal(err)
	}
	if !ics23.VerifyNonMembership(ics23.IavlSpec, info.LastBlockAppHash, &proof, accountstypes.KeyRefStoreKey(apptest.Addr("nobody"))) {
		t.Fatal("non-membership proof does not verify")
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}

func hasEvent(evs []abci.Event, typ, key, value string) bool {
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key && a.Value == value && a.Index {
				return true
			}
		}
	}
	return false
}

// highS turns a valid signature into its malleated twin (n - s, flipped v):
// valid to plain ECDSA, refused by us.
func highS(sig []byte) []byte {
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	s.Sub(n, s)
	out := append([]byte{}, sig...)
	sb := s.FillBytes(make([]byte, 32))
	copy(out[32:64], sb)
	out[64] ^= 1
	return out
}

func resign(t *testing.T, body []byte, sig []byte) []byte {
	t.Helper()
	raw, err := proto.Marshal(&txv1.Tx{Body: body, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestBadInput checks that each kind of bad transaction is refused by
// CheckTx with its own code, and, if a proposer puts it in a block anyway,
// gets the same code from FinalizeBlock. A transaction refused before its
// nonce (envelope, chain id, timeout, gas limit, key, nonce) changes
// nothing; one with the signer's next nonce spends it and changes nothing
// else.
func TestBadInput(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	good := c.Tx("secretariat", openMsg("a"))
	var env txv1.Tx
	if err := proto.Unmarshal(good, &env); err != nil {
		t.Fatal(err)
	}
	signed := func(b tx.Body, msgs ...proto.Message) []byte {
		body, err := b.Build(msgs...)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := tx.Sign(body, apptest.Key("secretariat"))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	next := func() uint64 { return c.Nonce("secretariat") }
	badSig := append([]byte{}, env.Signature...)
	badSig[64] = 7
	zeroR := append([]byte{}, env.Signature...)
	copy(zeroR[:32], make([]byte, 32))

	type outcome int
	const (
		proposalRejected outcome = iota // stateless: ProcessProposal rejects the block
		refused                         // FinalizeBlock refuses it; nothing changes
		spent                           // FinalizeBlock refuses it; only the nonce is spent
	)
	cases := []struct {
		name  string
		raw   func() []byte
		space string
		code  uint32
		out   outcome
	}{
		{"garbage bytes", func() []byte { return []byte("not a transaction at all") }, app.Codespace, app.ErrTxDecode.Code, proposalRejected},
		{"truncated protobuf", func() []byte { return good[:len(good)/2] }, app.Codespace, app.ErrTxDecode.Code, proposalRejected},
		{"empty", func() []byte { return []byte{} }, app.Codespace, app.ErrTxDecode.Code, proposalRejected},
		{"oversized", func() []byte { return make([]byte, tx.MaxTxBytes+1) }, app.Codespace, app.ErrTxTooLarge.Code, proposalRejected},
		{"bad signature v", func() []byte { return resign(t, env.Body, badSig) }, app.Codespace, app.ErrBadSignature.Code, proposalRejected},
		{"bad signature r=0", func() []byte { return resign(t, env.Body, zeroR) }, app.Codespace, app.ErrBadSignature.Code, proposalRejected},
		{"short signature", func() []byte { return resign(t, env.Body, env.Signature[:64]) }, app.Codespace, app.ErrBadSignature.Code, proposalRejected},
		{"high-S signature", func() []byte { return resign(t, env.Body, highS(env.Signature)) }, app.Codespace, app.ErrHighS.Code, proposalRejected},
		{"non-canonical envelope", func() []byte { return append(bytes.Clone(good), 0x48, 0x01) }, app.Codespace, app.ErrNotCanonical.Code, proposalRejected},
		{"gas limit above the maximum", func() []byte {
			return signed(tx.Body{ChainID: apptest.ChainID, Nonce: next(), GasLimit: app.MaxTxGas + 1}, openMsg("a"))
		}, app.Codespace, app.ErrGasLimit.Code, proposalRejected},
		{"gas limit below the envelope's cost", func() []byte {
			return signed(tx.Body{ChainID: apptest.ChainID, Nonce: next(), GasLimit: 1000}, openMsg("a"))
		}, app.Codespace, app.ErrOutOfGas.Code, proposalRejected},
		{"wrong chain id", func() []byte { return signed(tx.Body{ChainID: "other-chain", Nonce: next()}, openMsg("a")) }, app.Codespace, app.ErrWrongChainID.Code, refused},
		{"timed out", func() []byte {
			return signed(tx.Body{ChainID: apptest.ChainID, Nonce: next(), TimeoutHeight: uint64(c.Height)}, openMsg("a"))
		}, app.Codespace, app.ErrTimedOut.Code, refused},
		{"unknown signer", func() []byte { return c.Sign("stranger", 0, openMsg("a")) }, accounts.ModuleName, accounts.ErrUnknownSigner.Code, refused},
		{"stale nonce", func() []byte { return c.Sign("secretariat", 0, openMsg("a")) }, app.Codespace, app.ErrStaleNonce.Code, refused},
		{"future nonce", func() []byte { return c.Sign("secretariat", next()+app.MaxNonceGap+1, openMsg("a")) }, app.Codespace, app.ErrFutureNonce.Code, refused},
		{"unknown message", func() []byte { return c.Sign("secretariat", next(), &txv1.TxBody{}) }, app.Codespace, app.ErrUnknownMessage.Code, spent},
		{"invalid message", func() []byte {
			return c.Sign("secretariat", next(), &accountsv1.MsgOpenAccount{Address: "0x12", LegalName: "x"})
		}, accounts.ModuleName, accounts.ErrInvalidAddress.Code, spent},
		{"unauthorized signer", func() []byte { return c.Sign("meti", c.Nonce("meti"), openMsg("b")) }, accounts.ModuleName, accounts.ErrUnauthorized.Code, spent},
	}
	// Use up nonce 0 so that "stale nonce" is stale.
	c.MustExec("secretariat", openMsg("first"))

	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw()
			res, err := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
			if err != nil {
				t.Fatal(err)
			}
			// unauthorized passes CheckTx (roles are checked by the
			// handler); everything else is refused at the door.
			if tc.name != "unauthorized signer" {
				if res.Code != tc.code || res.Codespace != tc.space {
					t.Fatalf("CheckTx = %s/%d %q, want %s/%d", res.Codespace, res.Code, res.Log, tc.space, tc.code)
				}
				if res.Log == "" {
					t.Fatal("rejection has no message")
				}
			}
			proc, _ := c.App.ProcessProposal(ctx, &abci.ProcessProposalRequest{Txs: [][]byte{raw}})
			wantStatus := abci.PROCESS_PROPOSAL_STATUS_ACCEPT
			if tc.out == proposalRejected {
				wantStatus = abci.PROCESS_PROPOSAL_STATUS_REJECT
			}
			if proc.Status != wantStatus {
				t.Fatalf("ProcessProposal = %v, want %v", proc.Status, wantStatus)
			}
			before := c.State()
			signer := apptest.Addr("secretariat")
			if tc.name == "unauthorized signer" {
				signer = apptest.Addr("meti")
			}
			nonce := c.NonceOf(signer)
			out := c.Block(raw)
			if out[0].Code != tc.code || out[0].Codespace != tc.space {
				t.Fatalf("FinalizeBlock = %s/%d %q, want %s/%d", out[0].Codespace, out[0].Code, out[0].Log, tc.space, tc.code)
			}
			if tc.out == spent {
				c.OnlyNonceSpent(before, signer, nonce)
			} else if diff := before.Diff(c.State()); len(diff) != 0 {
				t.Fatalf("a transaction refused before its nonce changed %q", diff)
			}
		})
	}
}

// TestCheckTxQueuesNonces: a signer may queue several transactions in one
// block; CheckTx expects consecutive nonces until the next commit.
func TestCheckTxQueuesNonces(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	ctx := context.Background()
	var txs [][]byte
	for i, name := range []string{"a", "b", "c"} {
		raw := c.Sign("secretariat", uint64(i), openMsg(name))
		res, _ := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw})
		if res.Code != 0 {
			t.Fatalf("tx %d: %s", i, res.Log)
		}
		txs = append(txs, raw)
	}
	// The same bytes again are admitted: CometBFT's cache refuses a
	// duplicate of a transaction its mempool holds before asking the app,
	// so a second CheckTx means the mempool dropped the first (see
	// TestAdmissionAfterMempoolDrop).
	again, _ := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: txs[1]})
	if again.Code != 0 {
		t.Fatalf("resent after a drop: code %d %s", again.Code, again.Log)
	}
	for i, r := range c.Block(txs...) {
		if r.Code != 0 {
			t.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	// Replaying a committed transaction is refused.
	res, _ := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: txs[0]})
	if res.Code != app.ErrStaleNonce.Code {
		t.Fatalf("replay: code %d %s", res.Code, res.Log)
	}
}

// TestAtomicMultiMessage: if the second message of a transaction fails, the
// first does not take effect; the transaction's nonce is spent all the
// same (ExecFails checks both).
func TestAtomicMultiMessage(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	res := c.ExecFails("secretariat", openMsg("x"), openMsg("x")) // second: already exists
	if res.Code != accounts.ErrAccountExists.Code {
		t.Fatalf("code %d: %s", res.Code, res.Log)
	}
	if c.Nonce("secretariat") != 1 {
		t.Fatal("a failed transaction did not spend its nonce")
	}
}

// TestRestartKeepsState reopens the database: Info reports the last commit
// and state reads back.
func TestRestartKeepsState(t *testing.T) {
	c := apptest.New(t, nil)
	c.MustExec("secretariat", openMsg("kyoto"))
	height, hash := c.Height, c.LastHash
	c.App.Close()

	a, err := app.Open(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	info, _ := a.Info(context.Background(), &abci.InfoRequest{})
	if info.LastBlockHeight != height || !bytes.Equal(info.LastBlockAppHash, hash) {
		t.Fatalf("after restart Info = %d %X, want %d %X", info.LastBlockHeight, info.LastBlockAppHash, height, hash)
	}
	if a.ChainID() != apptest.ChainID {
		t.Fatalf("chain id after restart = %q", a.ChainID())
	}
	res, _ := a.Query(context.Background(), &abci.QueryRequest{Path: "/accounts/Account", Data: []byte(`{"account":"` + apptest.Addr("kyoto").Hex() + `"}`)})
	if res.Code != 0 {
		t.Fatalf("account lost on restart: %s", res.Log)
	}
}

// TestCrashBeforeCommit: a block finalized but not committed is lost on
// restart; Info reports the previous height, so CometBFT replays the block
// and reaches the same app hash.
func TestCrashBeforeCommit(t *testing.T) {
	c := apptest.New(t, nil)
	raw := c.Tx("secretariat", openMsg("kyoto"))
	req := &abci.FinalizeBlockRequest{Txs: [][]byte{raw}, Height: c.Height + 1, Time: c.Time}
	res, err := c.App.FinalizeBlock(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	c.App.Close() // crash: no Commit

	a, err := app.Open(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	info, _ := a.Info(context.Background(), &abci.InfoRequest{})
	if info.LastBlockHeight != c.Height {
		t.Fatalf("Info height %d, want %d", info.LastBlockHeight, c.Height)
	}
	replay, err := a.FinalizeBlock(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(replay.AppHash, res.AppHash) || replay.TxResults[0].Code != 0 {
		t.Fatalf("replay hash %X code %d, want %X", replay.AppHash, replay.TxResults[0].Code, res.AppHash)
	}
}

func TestErrorCodesUnique(t *testing.T) {
	if err := module.CheckCodes(app.AllErrors()...); err != nil {
		t.Fatal(err)
	}
}
