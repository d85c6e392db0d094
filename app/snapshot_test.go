package app_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// snapshotChain builds 12 blocks after genesis, each opening 20 accounts,
// and returns the chain with the app hash of every height.
func snapshotChain(t *testing.T) (*apptest.Chain, map[int64][]byte) { return snapshotChainTo(t, 13) }

func fetch(t *testing.T, a *app.App, s *abci.Snapshot) [][]byte {
	var chunks [][]byte
	for i := uint32(0); i < s.Chunks; i++ {
		res, err := a.LoadSnapshotChunk(context.Background(), &abci.LoadSnapshotChunkRequest{Height: s.Height, Format: s.Format, Chunk: i})
		if err != nil || len(res.Chunk) == 0 {
			t.Fatalf("chunk %d: %v (%d bytes)", i, err, len(res.Chunk))
		}
		chunks = append(chunks, res.Chunk)
	}
	return chunks
}

func TestSnapshotRestoresTheExactState(t *testing.T) {
	ctx := context.Background()
	src, hashes := snapshotChain(t)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, KeepRecent: 2, ChunkSize: 4096})
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// Height 13 (genesis block + 12): snapshots at 10 and 5.
	if len(list.Snapshots) != 2 || list.Snapshots[0].Height != 10 || list.Snapshots[1].Height != 5 {
		t.Fatalf("listed %v, want heights 10 and 5", list.Snapshots)
	}
	snap := list.Snapshots[0]
	if snap.Chunks < 2 {
		t.Fatalf("snapshot has %d chunk(s); the test wants several", snap.Chunks)
	}
	chunks := fetch(t, src.App, snap)

	// A second node that executed the same blocks offers byte-identical
	// snapshots, so a joining node can fetch chunks from both.
	twin, _ := snapshotChain(t)
	twin.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, KeepRecent: 2, ChunkSize: 4096})
	tl, err := twin.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tl.Snapshots[0].Hash, snap.Hash) || !bytes.Equal(tl.Snapshots[0].Metadata, snap.Metadata) {
		t.Fatal("two nodes with the same state offer different snapshots")
	}

	dst, err := app.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	offer, err := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]})
	if err != nil || offer.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
		t.Fatalf("offer: %v %v", offer, err)
	}
	for i, c := range chunks {
		if i == 1 {
			// A peer sends a corrupted chunk: it is refetched and the
			// peer rejected, and nothing is applied.
			bad := bytes.Clone(c)
			bad[0] ^= 0xff
			res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 1, Chunk: bad, Sender: "evil"})
			if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_RETRY || len(res.RefetchChunks) != 1 || res.RejectSenders[0] != "evil" {
				t.Fatalf("corrupt chunk: %v %v", res, err)
			}
		}
		res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: uint32(i), Chunk: c, Sender: "good"})
		if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
			t.Fatalf("chunk %d: %v %v", i, res, err)
		}
	}
	info, err := dst.Info(ctx, &abci.InfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if info.LastBlockHeight != 10 || !bytes.Equal(info.LastBlockAppHash, hashes[10]) {
		t.Fatalf("restored app at %d %X, want 10 %X", info.LastBlockHeight, info.LastBlockAppHash, hashes[10])
	}
	if dst.ChainID() != apptest.ChainID {
		t.Fatalf("restored chain id %q", dst.ChainID())
	}
	q, err := dst.Query(ctx, &abci.QueryRequest{Path: "/accounts/Account", Data: []byte(`{"account":"` + apptest.Addr("holder-8-19").Hex() + `"}`)})
	if err != nil || q.Code != 0 {
		t.Fatalf("account opened at height 10 is missing after restore: %v %v", q, err)
	}

	// It offers the snapshot it was restored from, and nothing older (it
	// has no older state).
	dst.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, ChunkSize: 4096})
	if l, err := dst.ListSnapshots(ctx, &abci.ListSnapshotsRequest{}); err != nil || len(l.Snapshots) != 1 || !bytes.Equal(l.Snapshots[0].Hash, snap.Hash) {
		t.Fatalf("restored node lists %v (%v), want only the snapshot of height 10", l, err)
	}

	// The restored node executes the next block exactly as the original
	// did at that height.
	srcAt10, _ := snapshotChainTo(t, 10)
	txs := [][]byte{srcAt10.Tx("secretariat", &accountsv1.MsgOpenAccount{
		Address: apptest.Addr("late").Hex(), LegalName: "late",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP",
		Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
	})}
	next := srcAt10.Time.Add(60e9)
	want, err := srcAt10.App.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Txs: txs, Height: 11, Time: next})
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Txs: txs, Height: 11, Time: next})
	if err != nil {
		t.Fatal(err)
	}
	if got.TxResults[0].Code != 0 || !bytes.Equal(got.AppHash, want.AppHash) {
		t.Fatalf("block 11 after restore: code %d hash %X, original %X", got.TxResults[0].Code, got.AppHash, want.AppHash)
	}
}

// snapshotChainTo builds the same blocks as snapshotChain up to height h.
func snapshotChainTo(t *testing.T, h int64) (*apptest.Chain, map[int64][]byte) {
	c := apptest.New(t, nil)
	hashes := map[int64][]byte{c.Height: c.LastHash}
	nonce := c.Nonce("secretariat")
	for b := 0; c.Height < h; b++ {
		var txs [][]byte
		for i := 0; i < 20; i++ {
			name := fmt.Sprintf("holder-%d-%d", b, i)
			txs = append(txs, c.Sign("secretariat", nonce, &accountsv1.MsgOpenAccount{
				Address: apptest.Addr(name).Hex(), LegalName: name,
				EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP",
				Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
			}))
			nonce++
		}
		for i, r := range c.Block(txs...) {
			if r.Code != 0 {
				t.Fatalf("block %d tx %d: %s", c.Height, i, r.Log)
			}
		}
		hashes[c.Height] = c.LastHash
	}
	return c, hashes
}

func TestSnapshotWithTheWrongAppHashIsRejectedAndLeavesNoState(t *testing.T) {
	ctx := context.Background()
	src, hashes := snapshotChain(t)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5})
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	snap := list.Snapshots[0]
	chunks := fetch(t, src.App, snap)

	dst, err := app.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	// The light client says height 10 has another app hash (here: that of
	// height 9): the snapshot is a lie and must be rejected.
	if _, err := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[9]}); err != nil {
		t.Fatal(err)
	}
	var last *abci.ApplySnapshotChunkResponse
	for i, c := range chunks {
		if last, err = dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: uint32(i), Chunk: c}); err != nil {
			t.Fatal(err)
		}
	}
	if last.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT {
		t.Fatalf("result %v, want REJECT_SNAPSHOT", last.Result)
	}
	info, _ := dst.Info(ctx, &abci.InfoRequest{})
	if info.LastBlockHeight != 0 {
		t.Fatalf("a rejected snapshot left state at height %d", info.LastBlockHeight)
	}
	// The right one is still accepted afterwards.
	if _, err := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); err != nil {
		t.Fatal(err)
	}
	for i, c := range chunks {
		if last, err = dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: uint32(i), Chunk: c}); err != nil {
			t.Fatal(err)
		}
	}
	if last.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
		t.Fatalf("result %v after a rejected attempt", last.Result)
	}

	// Formats it cannot read, and offers to a node that has state, are
	// refused.
	other := *snap
	other.Format = 2
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: &other, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_REJECT_FORMAT {
		t.Fatalf("format 2: %v", res.Result)
	}
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ABORT {
		t.Fatalf("offer to a node with state: %v", res.Result)
	}
}
