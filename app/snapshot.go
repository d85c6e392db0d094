package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/iavl"
	"github.com/ethereum/go-ethereum/common"

	"github.com/jcredit/jcredit/app/store"
)

// State sync. A node joining late need not replay every block: it fetches a
// snapshot of the state at some height H from its peers, checks it against
// the app hash that CometBFT's light client verified for H (from the signed
// header H+1), and starts from there.
//
// A snapshot is the IAVL export of version H (every node, depth-first,
// post-order — the order Import rebuilds the identical tree from) encoded
// as a byte stream and cut into chunks. The encoding is deterministic, so
// every honest node offers byte-identical snapshots of H and a joining node
// can fetch chunks from several peers at once.
//
// Stream format 1, one record per tree node:
//
//	uvarint len(key) | key | varint version | int8 height | (height == 0 only) uvarint len(value) | value
//
// Snapshot.Hash is SHA-256 of the whole stream; Snapshot.Metadata is the
// SHA-256 of each chunk, concatenated, so that a bad chunk is caught (and
// its sender rejected) as soon as it arrives. Snapshots are built on demand
// from the retained IAVL versions (the app keeps every version) at
// multiples of the interval, and cached in memory.

// SnapshotFormat is the only snapshot format this app writes and reads.
const SnapshotFormat uint32 = 1

// DefaultSnapshotChunkSize is the size of a snapshot chunk (the last one
// is shorter).
const DefaultSnapshotChunkSize = 1 << 20

// SnapshotOptions configure the snapshots a node offers.
type SnapshotOptions struct {
	// Interval: offer a snapshot at every height that is a multiple of it
	// (0: offer none; restoring works regardless).
	Interval uint64
	// KeepRecent is how many of the latest such heights to offer
	// (default 2).
	KeepRecent uint64
	// ChunkSize in bytes (default DefaultSnapshotChunkSize).
	ChunkSize int
}

type builtSnapshot struct {
	meta   *abci.Snapshot
	chunks [][]byte
}

type restore struct {
	snap    *abci.Snapshot
	appHash []byte
	hashes  [][]byte
	buf     bytes.Buffer
	next    uint32
}

// snapshotState is the app's snapshot bookkeeping, with its own lock: state
// sync runs on its own ABCI connection, beside block execution.
type snapshotState struct {
	mu      sync.Mutex
	opts    SnapshotOptions
	built   map[uint64]*builtSnapshot
	restore *restore
}

func newSnapshotState() *snapshotState {
	return &snapshotState{built: map[uint64]*builtSnapshot{}}
}

func (a *App) snapshots() *snapshotState { return a.snap }

// SetSnapshotOptions sets which snapshots the node offers to peers that
// join by state sync. Call it before the node starts.
func (a *App) SetSnapshotOptions(o SnapshotOptions) {
	if o.KeepRecent == 0 {
		o.KeepRecent = 2
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = DefaultSnapshotChunkSize
	}
	s := a.snapshots()
	s.mu.Lock()
	s.opts = o
	s.mu.Unlock()
}

// ListSnapshots is called when a joining peer asks what snapshots this node
// offers: the latest KeepRecent heights that are multiples of the interval.
// A snapshot is built the first time it is listed.
func (a *App) ListSnapshots(_ context.Context, _ *abci.ListSnapshotsRequest) (*abci.ListSnapshotsResponse, error) {
	s := a.snapshots()
	s.mu.Lock()
	defer s.mu.Unlock()
	res := &abci.ListSnapshotsResponse{}
	if s.opts.Interval == 0 {
		return res, nil
	}
	a.mu.RLock()
	latest := uint64(a.tree.Version())
	a.mu.RUnlock()
	keep := map[uint64]bool{}
	for h := latest / s.opts.Interval * s.opts.Interval; h > 0 && uint64(len(keep)) < s.opts.KeepRecent; h -= s.opts.Interval {
		if s.built[h] == nil {
			b, err := a.buildSnapshot(int64(h), s.opts.ChunkSize)
			if errors.Is(err, store.ErrVersionMissing) {
				// A node restored from a snapshot has no older state.
				break
			}
			if err != nil {
				return nil, fmt.Errorf("snapshot at height %d: %w", h, err)
			}
			s.built[h] = b
		}
		keep[h] = true
		res.Snapshots = append(res.Snapshots, s.built[h].meta)
	}
	for h := range s.built {
		if !keep[h] {
			delete(s.built, h)
		}
	}
	return res, nil
}

// buildSnapshot exports version h and cuts it into chunks.
func (a *App) buildSnapshot(h int64, chunkSize int) (*builtSnapshot, error) {
	a.mu.RLock()
	view, err := a.tree.At(h)
	a.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	exp, err := view.Export()
	if err != nil {
		return nil, err
	}
	defer exp.Close()
	var stream bytes.Buffer
	for {
		n, err := exp.Next()
		if errors.Is(err, iavl.ErrorExportDone) {
			break
		}
		if err != nil {
			return nil, err
		}
		writeExportNode(&stream, n)
	}
	all := stream.Bytes()
	b := &builtSnapshot{}
	var meta []byte
	for off := 0; off < len(all) || off == 0; off += chunkSize {
		end := min(off+chunkSize, len(all))
		c := all[off:end]
		sum := sha256.Sum256(c)
		meta = append(meta, sum[:]...)
		b.chunks = append(b.chunks, c)
		if end == len(all) {
			break
		}
	}
	sum := sha256.Sum256(all)
	b.meta = &abci.Snapshot{Height: uint64(h), Format: SnapshotFormat, Chunks: uint32(len(b.chunks)), Hash: sum[:], Metadata: meta}
	return b, nil
}

// LoadSnapshotChunk is called to serve one chunk of a listed snapshot to a
// joining peer. An unknown snapshot or chunk gets an empty answer, which
// the peer treats as "not available".
func (a *App) LoadSnapshotChunk(_ context.Context, req *abci.LoadSnapshotChunkRequest) (*abci.LoadSnapshotChunkResponse, error) {
	s := a.snapshots()
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.built[req.Height]
	if b == nil || req.Format != SnapshotFormat || int(req.Chunk) >= len(b.chunks) {
		return &abci.LoadSnapshotChunkResponse{}, nil
	}
	return &abci.LoadSnapshotChunkResponse{Chunk: b.chunks[req.Chunk]}, nil
}

// OfferSnapshot is called on a joining node for each snapshot its peers
// offer, with the app hash the light client verified for that height. The
// app accepts one it can read, if it has no state yet.
func (a *App) OfferSnapshot(_ context.Context, req *abci.OfferSnapshotRequest) (*abci.OfferSnapshotResponse, error) {
	result := func(r abci.OfferSnapshotResult) (*abci.OfferSnapshotResponse, error) {
		return &abci.OfferSnapshotResponse{Result: r}, nil
	}
	snap := req.Snapshot
	if snap == nil || snap.Format != SnapshotFormat {
		return result(abci.OFFER_SNAPSHOT_RESULT_REJECT_FORMAT)
	}
	if snap.Chunks == 0 || len(snap.Metadata) != int(snap.Chunks)*sha256.Size || len(snap.Hash) != sha256.Size || len(req.AppHash) == 0 {
		return result(abci.OFFER_SNAPSHOT_RESULT_REJECT)
	}
	a.mu.RLock()
	version := a.tree.Version()
	a.mu.RUnlock()
	if version != 0 {
		// State sync only makes sense on an empty node; CometBFT never
		// offers otherwise, so this is a misconfiguration.
		return result(abci.OFFER_SNAPSHOT_RESULT_ABORT)
	}
	r := &restore{snap: snap, appHash: bytes.Clone(req.AppHash)}
	for i := 0; i < int(snap.Chunks); i++ {
		r.hashes = append(r.hashes, snap.Metadata[i*sha256.Size:(i+1)*sha256.Size])
	}
	s := a.snapshots()
	s.mu.Lock()
	s.restore = r
	s.mu.Unlock()
	return result(abci.OFFER_SNAPSHOT_RESULT_ACCEPT)
}

// ApplySnapshotChunk is called with each chunk of the accepted snapshot, in
// order. A chunk whose hash is not the one the snapshot announced is
// refetched from another peer and its sender rejected. After the last
// chunk the tree is rebuilt in memory and its root hash compared with the
// trusted app hash; only if they match is it written to the node's
// database.
func (a *App) ApplySnapshotChunk(_ context.Context, req *abci.ApplySnapshotChunkRequest) (*abci.ApplySnapshotChunkResponse, error) {
	res := func(r abci.ApplySnapshotChunkResult) (*abci.ApplySnapshotChunkResponse, error) {
		return &abci.ApplySnapshotChunkResponse{Result: r}, nil
	}
	s := a.snapshots()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.restore
	if r == nil {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ABORT)
	}
	switch {
	case req.Index < r.next:
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT) // already applied
	case req.Index > r.next:
		return &abci.ApplySnapshotChunkResponse{Result: abci.APPLY_SNAPSHOT_CHUNK_RESULT_RETRY, RefetchChunks: []uint32{r.next}}, nil
	}
	if sum := sha256.Sum256(req.Chunk); !bytes.Equal(sum[:], r.hashes[req.Index]) {
		out := &abci.ApplySnapshotChunkResponse{Result: abci.APPLY_SNAPSHOT_CHUNK_RESULT_RETRY, RefetchChunks: []uint32{req.Index}}
		if req.Sender != "" {
			out.RejectSenders = []string{req.Sender}
		}
		return out, nil
	}
	r.buf.Write(req.Chunk)
	r.next++
	if r.next < r.snap.Chunks {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT)
	}
	s.restore = nil
	if sum := sha256.Sum256(r.buf.Bytes()); !bytes.Equal(sum[:], r.snap.Hash) {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT)
	}
	height := int64(r.snap.Height)

	// Rebuild in memory first: a snapshot whose tree does not hash to the
	// trusted app hash must leave the node's database untouched.
	mem, err := store.NewMemTree()
	if err != nil {
		return nil, err
	}
	defer mem.Close()
	if err := importStream(mem, height, r.buf.Bytes()); err != nil || !bytes.Equal(mem.Hash(), r.appHash) {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if err := importStream(a.tree, height, r.buf.Bytes()); err != nil {
		// The database is now in an unknown state: stop rather than
		// continue on it.
		return nil, fmt.Errorf("state sync: write snapshot %d: %w", height, err)
	}
	if !bytes.Equal(a.tree.Hash(), r.appHash) {
		return nil, fmt.Errorf("state sync: imported state at %d hashes to %X, want %X", height, a.tree.Hash(), r.appHash)
	}
	if err := a.refreshCheckView(); err != nil {
		return nil, err
	}
	a.loadChainParams()
	a.pending = map[common.Address]uint64{}
	return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT)
}

func writeExportNode(w *bytes.Buffer, n *iavl.ExportNode) {
	var tmp [binary.MaxVarintLen64]byte
	w.Write(tmp[:binary.PutUvarint(tmp[:], uint64(len(n.Key)))])
	w.Write(n.Key)
	w.Write(tmp[:binary.PutVarint(tmp[:], n.Version)])
	w.WriteByte(byte(n.Height))
	if n.Height == 0 {
		w.Write(tmp[:binary.PutUvarint(tmp[:], uint64(len(n.Value)))])
		w.Write(n.Value)
	}
}

// importStream rebuilds version height of an empty tree from a stream. The
// stream comes from a peer: IAVL's importer panics on some malformed node
// sequences (a 3-byte chunk was enough, issue 10 finding 4), and CometBFT's
// local client has no recover, so a panic is turned into an error here and
// the snapshot is rejected.
func importStream(t *store.Tree, height int64, stream []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("snapshot stream is malformed: the importer panicked: %v", r)
		}
	}()
	imp, err := t.Import(height)
	if err != nil {
		return err
	}
	defer imp.Close()
	rd := bytes.NewReader(stream)
	for rd.Len() > 0 {
		n, err := readExportNode(rd)
		if err != nil {
			return err
		}
		if err := imp.Add(n); err != nil {
			return err
		}
	}
	return imp.Commit()
}

func readExportNode(rd *bytes.Reader) (*iavl.ExportNode, error) {
	readBytes := func() ([]byte, error) {
		n, err := binary.ReadUvarint(rd)
		if err != nil {
			return nil, err
		}
		if n > uint64(rd.Len()) {
			return nil, io.ErrUnexpectedEOF
		}
		b := make([]byte, n)
		_, err = io.ReadFull(rd, b)
		return b, err
	}
	key, err := readBytes()
	if err != nil {
		return nil, fmt.Errorf("snapshot node key: %w", err)
	}
	version, err := binary.ReadVarint(rd)
	if err != nil {
		return nil, fmt.Errorf("snapshot node version: %w", err)
	}
	h, err := rd.ReadByte()
	if err != nil {
		return nil, fmt.Errorf("snapshot node height: %w", err)
	}
	n := &iavl.ExportNode{Key: key, Version: version, Height: int8(h)}
	if n.Height == 0 {
		if n.Value, err = readBytes(); err != nil {
			return nil, fmt.Errorf("snapshot node value: %w", err)
		}
	}
	return n, nil
}
