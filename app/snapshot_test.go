package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
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
	other.Format = 1 // v0.2.0's, which declared no size
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: &other, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_REJECT_FORMAT {
		t.Fatalf("format 1: %v", res.Result)
	}
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ABORT {
		t.Fatalf("offer to a node with state: %v", res.Result)
	}
}

// restoreFiles lists the stream files of restores in progress under an
// app's data directory.
func restoreFiles(t *testing.T, dataDir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dataDir, "snapshot-restore", "restore-*", "stream"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Issue 10, finding 4: the whole snapshot was buffered in memory with no
// size limit. A snapshot larger than the node's cap is refused at the
// offer, before a chunk is fetched.
func TestSnapshotLargerThanTheCapIsRefused(t *testing.T) {
	ctx := context.Background()
	src, hashes := snapshotChain(t)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, ChunkSize: 4096})
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	snap := list.Snapshots[0]
	size := binary.BigEndian.Uint64(snap.Metadata)

	dataDir := t.TempDir()
	dst, err := app.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	dst.SetSnapshotOptions(app.SnapshotOptions{MaxRestoreBytes: size - 1})
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_REJECT {
		t.Fatalf("a snapshot of %d bytes offered to a node that takes %d: %v", size, size-1, res.Result)
	}
	// The default cap refuses a peer declaring a terabyte.
	dst.SetSnapshotOptions(app.SnapshotOptions{})
	huge := *snap
	huge.Metadata = app.SnapshotMetadata(1<<40, [][]byte{snap.Metadata[8:40]})
	huge.Chunks = 1
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: &huge, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_REJECT {
		t.Fatalf("a snapshot declaring 1 TiB: %v", res.Result)
	}
	if files := restoreFiles(t, dataDir); len(files) != 0 {
		t.Fatalf("a refused offer left %v", files)
	}
	// At the cap it is accepted.
	dst.SetSnapshotOptions(app.SnapshotOptions{MaxRestoreBytes: size})
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
		t.Fatalf("a snapshot of %d bytes offered to a node that takes %d: %v", size, size, res.Result)
	}
}

// A peer declares a small snapshot (let in under the cap) but announces the
// hashes of larger chunks: the restore is rejected as soon as the chunks
// add up to more than declared, and its file removed.
func TestSnapshotChunksBeyondTheDeclaredSizeAreRejected(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	dst, err := app.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	dst.SetSnapshotOptions(app.SnapshotOptions{MaxRestoreBytes: 100_000})
	chunk := bytes.Repeat([]byte{0x01}, 60_000)
	sum := sha256.Sum256(chunk)
	whole := sha256.Sum256(append(bytes.Clone(chunk), chunk...))
	lie := &abci.Snapshot{Height: 10, Format: app.SnapshotFormat, Chunks: 2, Hash: whole[:],
		Metadata: app.SnapshotMetadata(90_000, [][]byte{sum[:], sum[:]})}
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: lie, AppHash: bytes.Repeat([]byte{1}, 32)}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
		t.Fatalf("offer: %v", res.Result)
	}
	res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 0, Chunk: chunk, Sender: "peer"})
	if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
		t.Fatalf("chunk 0: %v %v", res, err)
	}
	res, err = dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 1, Chunk: chunk, Sender: "peer"})
	if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT {
		t.Fatalf("chunk 1, past the declared 90000 bytes: %v %v", res, err)
	}
	if files := restoreFiles(t, dataDir); len(files) != 0 {
		t.Fatalf("a rejected restore left %v", files)
	}
	if info, _ := dst.Info(ctx, &abci.InfoRequest{}); info.LastBlockHeight != 0 {
		t.Fatalf("a rejected snapshot left state at %d", info.LastBlockHeight)
	}
}

// The received chunks are on disk, under the node's data directory, as they
// arrive (the restore holds no copy in memory), and the files are gone once
// the snapshot is restored.
func TestSnapshotChunksStreamToDisk(t *testing.T) {
	ctx := context.Background()
	src, hashes := snapshotChain(t)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, ChunkSize: 4096})
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	snap := list.Snapshots[0]
	chunks := fetch(t, src.App, snap)
	dataDir := t.TempDir()
	dst, err := app.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
		t.Fatalf("offer: %v", res.Result)
	}
	received := 0
	for i, c := range chunks {
		res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: uint32(i), Chunk: c})
		if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
			t.Fatalf("chunk %d: %v %v", i, res, err)
		}
		received += len(c)
		if i == len(chunks)-1 {
			break
		}
		files := restoreFiles(t, dataDir)
		if len(files) != 1 {
			t.Fatalf("after chunk %d: restore files %v, want one under %s", i, files, dataDir)
		}
		fi, err := os.Stat(files[0])
		if err != nil || fi.Size() != int64(received) {
			t.Fatalf("after chunk %d: %d bytes received, the file holds %v (%v)", i, received, fi.Size(), err)
		}
	}
	if files := restoreFiles(t, dataDir); len(files) != 0 {
		t.Fatalf("a finished restore left %v", files)
	}
	if info, _ := dst.Info(ctx, &abci.InfoRequest{}); info.LastBlockHeight != 10 || !bytes.Equal(info.LastBlockAppHash, hashes[10]) {
		t.Fatalf("restored %d %X, want 10 %X", info.LastBlockHeight, info.LastBlockAppHash, hashes[10])
	}
}

// Issue 10, finding 4: a 3-byte chunk made the IAVL importer panic before
// the app hash was checked, and the process died. Streams that are cut
// short or garbled (with the hashes their peer announced for them) reject
// the snapshot, and the node can restore a good one afterwards.
func TestSnapshotMalformedStreamIsRejected(t *testing.T) {
	ctx := context.Background()
	src, hashes := snapshotChain(t)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 5, ChunkSize: 1 << 22})
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	snap := list.Snapshots[0]
	whole := fetch(t, src.App, snap)[0]
	dataDir := t.TempDir()
	dst, err := app.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	garbled := bytes.Clone(whole)
	for i := 40; i < len(garbled); i += 97 {
		garbled[i] ^= 0x5a
	}
	for name, data := range map[string][]byte{"3 bytes": whole[:3], "half": whole[:len(whole)/2], "garbled": garbled} {
		sum := sha256.Sum256(data)
		offer := &abci.Snapshot{Height: snap.Height, Format: app.SnapshotFormat, Chunks: 1, Hash: sum[:], Metadata: app.SnapshotMetadata(uint64(len(data)), [][]byte{sum[:]})}
		if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: offer, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
			t.Fatalf("%s: offer %v", name, res.Result)
		}
		res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 0, Chunk: data})
		if err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT {
			t.Fatalf("%s: %v %v", name, res, err)
		}
	}
	if files := restoreFiles(t, dataDir); len(files) != 0 {
		t.Fatalf("rejected restores left %v", files)
	}
	if res, _ := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: snap, AppHash: hashes[10]}); res.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
		t.Fatalf("offer: %v", res.Result)
	}
	if res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 0, Chunk: whole}); err != nil || res.Result != abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
		t.Fatalf("the good snapshot after bad ones: %v %v", res, err)
	}
}
