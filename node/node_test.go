package node_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// signed builds and signs a transaction from apptest's key for signer.
func signed(t *testing.T, signer string, nonce uint64, msgs ...proto.Message) []byte {
	t.Helper()
	body, err := tx.Build(nodetest.ChainID, nonce, "", msgs...)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, apptest.Key(signer))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func openAccount(name string) *accountsv1.MsgOpenAccount {
	return &accountsv1.MsgOpenAccount{
		Address: nodetest.Addr(name).Hex(), LegalName: name + " K.K.",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP",
		Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
	}
}

// TestNodeCommitsProvesAndRestarts runs a real single-validator node: a
// signed transaction commits, its result is queryable with a proof that
// verifies against header H+1's app hash, rejections are reported with
// their codes, and a restart over the same home keeps height and state.
func TestNodeCommitsProvesAndRestarts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	n := nodetest.Start(t, home)
	c := nodetest.Client(t, n)

	// The secretariat's first transaction carries nonce 0.
	nonce, err := c.Nonce(ctx, nodetest.Addr("secretariat"))
	if err != nil || nonce != 0 {
		t.Fatalf("secretariat nonce = %d, %v; want 0", nonce, err)
	}
	// An address without an account cannot sign: Nonce says so.
	if _, err := c.Nonce(ctx, nodetest.Addr("alice")); !errors.Is(err, client.ErrNoAccount) {
		t.Fatalf("nonce of an unopened address: %v, want ErrNoAccount", err)
	}

	res, err := c.Broadcast(ctx, signed(t, "secretariat", 0, openAccount("alice")))
	if err != nil {
		t.Fatalf("open alice: %v", err)
	}
	if !res.OK() || res.Height < 1 || len(res.Hash) != 64 {
		t.Fatalf("result %+v", res)
	}
	if !hasEvent(res, "accounts.open") {
		t.Fatalf("no accounts.open event in %+v", res.Events)
	}
	if nonce, _ := c.Nonce(ctx, nodetest.Addr("secretariat")); nonce != 1 {
		t.Fatalf("secretariat nonce after one tx = %d, want 1", nonce)
	}

	t.Run("CheckTx rejection fails fast with its code", func(t *testing.T) {
		_, err := c.Broadcast(ctx, signed(t, "secretariat", 0, openAccount("bob")))
		var te *client.TxError
		if !errors.As(err, &te) || te.Result.Height != 0 ||
			te.Result.Codespace != app.ErrStaleNonce.Codespace || te.Result.Code != app.ErrStaleNonce.Code {
			t.Fatalf("replayed nonce: %v, want a CheckTx rejection tx/%d", err, app.ErrStaleNonce.Code)
		}
	})

	t.Run("a failing tx commits with its code and spends only its nonce", func(t *testing.T) {
		// alice is open but not the secretariat: the handler refuses.
		_, err := c.Broadcast(ctx, signed(t, "alice", 0, openAccount("carol")))
		var te *client.TxError
		if !errors.As(err, &te) || te.Result.Height == 0 || te.Result.Codespace != accounts.ModuleName || te.Result.GasWanted == 0 {
			t.Fatalf("alice opening an account: %v, want an accounts rejection in a block", err)
		}
		if nonce, _ := c.Nonce(ctx, nodetest.Addr("alice")); nonce != 1 {
			t.Fatalf("alice's nonce is %d after a failed tx: it must be spent (1)", nonce)
		}
		if res, _ := c.Query(ctx, "/accounts/account/"+nodetest.Addr("carol").Hex(), nil, 0, false); res != nil && res.Code == 0 {
			t.Fatal("the failed transaction opened carol's account")
		}
	})

	var provenHeight int64
	var provenHash []byte
	t.Run("query with proof verifies against header H+1", func(t *testing.T) {
		resp, err := c.Query(ctx, "/accounts/Account", []byte(`{"account":"`+nodetest.Addr("alice").Hex()+`"}`), 0, true)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyQuery(ctx, resp)
		if err != nil {
			t.Fatal(err)
		}
		n, isAccountKey := accountstypes.AccountNumberOfStoreKey(v.Key)
		if !v.Exists || v.HeaderHeight != resp.Height+1 || !isAccountKey {
			t.Fatalf("verified %+v", v)
		}
		// The JSON answer renders exactly the proven stored bytes.
		var stored accountsv1.Account
		var ans accountsv1.QueryAccountResponse
		if err := proto.Unmarshal(v.StoredValue, &stored); err != nil {
			t.Fatal(err)
		}
		if err := protojson.Unmarshal(resp.Value, &ans); err != nil {
			t.Fatal(err)
		}
		shown := ans.Account
		if !proto.Equal(&stored, shown) || stored.LegalName != "alice K.K." || stored.Number != n || stored.Address != nodetest.Addr("alice").Hex() {
			t.Fatalf("proven %v, answered %v", &stored, shown)
		}
		// The same proof against any other root fails.
		wrong := append([]byte(nil), v.AppHash...)
		wrong[0] ^= 1
		if err := client.CheckProof(proofOf(t, resp), wrong, resp.Key, &client.Verified{}); !errors.Is(err, client.ErrProof) {
			t.Fatalf("proof against a wrong app hash: %v", err)
		}
		provenHeight, provenHash = v.HeaderHeight, v.AppHash
	})

	t.Run("absence is proven too", func(t *testing.T) {
		key := accountstypes.KeyRefStoreKey(nodetest.Addr("nobody"))
		resp, err := c.Query(ctx, app.StoreKeyPath, []byte(hexString(key)), 0, true)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyQuery(ctx, resp)
		if err != nil {
			t.Fatal(err)
		}
		if v.Exists || resp.Value != nil {
			t.Fatalf("absent key: %+v", v)
		}
	})

	// Restart over the same home: height, state and app hashes survive.
	if provenHeight == 0 {
		t.Fatal("no proven height")
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := st.SyncInfo.LatestBlockHeight
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}
	n2 := nodetest.Start(t, home)
	c2 := nodetest.Client(t, n2)
	st2, err := c2.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st2.SyncInfo.LatestBlockHeight < before {
		t.Fatalf("height after restart %d < %d before", st2.SyncInfo.LatestBlockHeight, before)
	}
	acc, err := c2.Account(ctx, nodetest.Addr("alice"))
	if err != nil || acc.LegalName != "alice K.K." {
		t.Fatalf("alice after restart: %v, %v", acc, err)
	}
	h := provenHeight
	cm, err := c2.RPC.Commit(ctx, &h)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cm.AppHash, provenHash) {
		t.Fatalf("app hash in header %d changed across the restart: %X then %X", h, provenHash, cm.AppHash)
	}
	// And the chain goes on: the secretariat's next nonce is accepted.
	if _, err := c2.Broadcast(ctx, signed(t, "secretariat", 1, openAccount("bob"))); err != nil {
		t.Fatalf("tx after restart: %v", err)
	}
}

func hasEvent(r *client.Result, typ string) bool {
	for _, e := range r.Events {
		if e.Type == typ {
			return true
		}
	}
	return false
}
