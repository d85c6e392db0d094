package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/iavl"

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
// Stream format 2 (format 1's stream, with its size declared), one record
// per tree node:
//
//	uvarint len(key) | key | varint version | int8 height | (height == 0 only) uvarint len(value) | value
//
// Snapshot.Hash is SHA-256 of the whole stream; Snapshot.Metadata is the
// stream's total size (8 bytes, big-endian) followed by the SHA-256 of each
// chunk, so that a bad chunk is caught (and its sender rejected) as soon as
// it arrives, and a snapshot larger than the node accepts is refused
// before a byte is fetched. Snapshots are built on demand from the retained
// IAVL versions (the app keeps every version) at multiples of the
// interval, and cached in memory.
//
// Restoring is written so that a peer cannot turn it against the node:
// the declared size is capped (SnapshotOptions.MaxRestoreBytes), the chunks
// are checked against their announced hashes and streamed to a file under
// the node's data directory (never held in memory), the received size is
// checked against the declared one as chunks arrive, and the tree is
// rebuilt from the file into a scratch database whose root must equal the
// trusted app hash before the node's own database is touched. A panic of
// the IAVL importer on a malformed stream rejects the snapshot. The files
// are removed whatever the outcome.

// SnapshotFormat is the only snapshot format this app writes and reads.
// Format 1 (v0.2.0) declared no size.
const SnapshotFormat uint32 = 2

// DefaultSnapshotMaxRestoreBytes is the largest snapshot a node restores
// unless app.toml says otherwise: 16 GiB, far above the registry's state
// for years (about 1 KiB per account, range or retirement) and far below
// what would fill a node's disk by surprise.
const DefaultSnapshotMaxRestoreBytes = 16 << 30

// snapshotRestoreDir is where a restore streams its chunks and rebuilds
// its scratch tree, under the node's data directory.
const snapshotRestoreDir = "snapshot-restore"

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
	// MaxRestoreBytes caps the size of a snapshot this node restores
	// (default DefaultSnapshotMaxRestoreBytes): larger offers are refused,
	// and a restore whose chunks add up to more than the snapshot declared
	// is rejected.
	MaxRestoreBytes uint64
}

type builtSnapshot struct {
	meta   *abci.Snapshot
	chunks [][]byte
}

// restore is a snapshot being received: the chunks so far are in file
// (under dir), their running SHA-256 in sum.
type restore struct {
	snap     *abci.Snapshot
	appHash  []byte
	size     uint64 // declared
	hashes   [][]byte
	dir      string
	file     *os.File
	received uint64
	sum      hash.Hash
	next     uint32
}

// close removes the restore's files.
func (r *restore) close() {
	if r.file != nil {
		r.file.Close()
	}
	os.RemoveAll(r.dir)
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
	return &snapshotState{built: map[uint64]*builtSnapshot{}, opts: SnapshotOptions{MaxRestoreBytes: DefaultSnapshotMaxRestoreBytes}}
}

// SnapshotMetadata is a format-2 snapshot's metadata: the stream's total
// size, then each chunk's SHA-256.
func SnapshotMetadata(size uint64, chunkHashes [][]byte) []byte {
	out := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(chunkHashes)*sha256.Size), size)
	for _, h := range chunkHashes {
		out = append(out, h...)
	}
	return out
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
	if o.MaxRestoreBytes == 0 {
		o.MaxRestoreBytes = DefaultSnapshotMaxRestoreBytes
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
	var hashes [][]byte
	for off := 0; off < len(all) || off == 0; off += chunkSize {
		end := min(off+chunkSize, len(all))
		c := all[off:end]
		sum := sha256.Sum256(c)
		hashes = append(hashes, sum[:])
		b.chunks = append(b.chunks, c)
		if end == len(all) {
			break
		}
	}
	sum := sha256.Sum256(all)
	b.meta = &abci.Snapshot{Height: uint64(h), Format: SnapshotFormat, Chunks: uint32(len(b.chunks)), Hash: sum[:], Metadata: SnapshotMetadata(uint64(len(all)), hashes)}
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
// app accepts one it can read and is willing to hold (its declared size
// within MaxRestoreBytes), if it has no state yet, and opens the file the
// chunks will stream to.
func (a *App) OfferSnapshot(_ context.Context, req *abci.OfferSnapshotRequest) (*abci.OfferSnapshotResponse, error) {
	result := func(r abci.OfferSnapshotResult) (*abci.OfferSnapshotResponse, error) {
		return &abci.OfferSnapshotResponse{Result: r}, nil
	}
	snap := req.Snapshot
	if snap == nil || snap.Format != SnapshotFormat {
		return result(abci.OFFER_SNAPSHOT_RESULT_REJECT_FORMAT)
	}
	if snap.Chunks == 0 || len(snap.Metadata) != 8+int(snap.Chunks)*sha256.Size || len(snap.Hash) != sha256.Size || len(req.AppHash) == 0 {
		return result(abci.OFFER_SNAPSHOT_RESULT_REJECT)
	}
	size := binary.BigEndian.Uint64(snap.Metadata)
	s := a.snapshots()
	s.mu.Lock()
	defer s.mu.Unlock()
	if size > s.opts.MaxRestoreBytes || uint64(snap.Chunks) > size+1 {
		// Larger than this node restores (or more chunks than bytes): try
		// another snapshot.
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
	if s.restore != nil {
		s.restore.close() // an earlier offer CometBFT gave up on
		s.restore = nil
	}
	r := &restore{snap: snap, appHash: bytes.Clone(req.AppHash), size: size, sum: sha256.New()}
	for i := 0; i < int(snap.Chunks); i++ {
		r.hashes = append(r.hashes, snap.Metadata[8+i*sha256.Size:8+(i+1)*sha256.Size])
	}
	var err error
	if r.dir, err = a.restoreDir(); err != nil {
		return nil, err
	}
	if r.file, err = os.Create(filepath.Join(r.dir, "stream")); err != nil {
		r.close()
		return nil, fmt.Errorf("state sync: %w", err)
	}
	s.restore = r
	return result(abci.OFFER_SNAPSHOT_RESULT_ACCEPT)
}

// restoreDir makes a fresh directory for a restore's files under the data
// directory (the system's temporary directory for an app held in memory).
func (a *App) restoreDir() (string, error) {
	parent := os.TempDir()
	if a.dataDir != "" {
		parent = filepath.Join(a.dataDir, snapshotRestoreDir)
		os.RemoveAll(parent) // left by a restore the process did not finish
		if err := os.MkdirAll(parent, 0o700); err != nil {
			return "", fmt.Errorf("state sync: %w", err)
		}
	}
	dir, err := os.MkdirTemp(parent, "restore-")
	if err != nil {
		return "", fmt.Errorf("state sync: %w", err)
	}
	return dir, nil
}

// ApplySnapshotChunk is called with each chunk of the accepted snapshot, in
// order. A chunk whose hash is not the one the snapshot announced is
// refetched from another peer and its sender rejected; a good one is
// appended to the restore's file. Chunks adding up to more than the
// declared size (or, at the end, to another size or hash) reject the
// snapshot. After the last chunk the tree is rebuilt from the file into a
// scratch database and its root hash compared with the trusted app hash;
// only if they match is it rebuilt in the node's database.
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
	reject := func() (*abci.ApplySnapshotChunkResponse, error) {
		r.close()
		s.restore = nil
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT)
	}
	if r.received+uint64(len(req.Chunk)) > r.size {
		return reject() // more than the snapshot declared (and was let in for)
	}
	if _, err := r.file.Write(req.Chunk); err != nil {
		r.close()
		s.restore = nil
		return nil, fmt.Errorf("state sync: write chunk %d: %w", req.Index, err)
	}
	r.sum.Write(req.Chunk)
	r.received += uint64(len(req.Chunk))
	r.next++
	if r.next < r.snap.Chunks {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT)
	}
	if r.received != r.size || !bytes.Equal(r.sum.Sum(nil), r.snap.Hash) {
		return reject()
	}
	defer func() {
		r.close()
		s.restore = nil
	}()
	height := int64(r.snap.Height)

	// Rebuild in a scratch database first: a snapshot whose tree does not
	// hash to the trusted app hash must leave the node's database
	// untouched.
	ok, err := a.verifyRestore(r, height)
	if err != nil {
		return nil, err
	}
	if !ok {
		return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_REJECT_SNAPSHOT)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if err := importFile(a.tree, height, r.file.Name()); err != nil {
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
	return res(abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT)
}

// verifyRestore rebuilds the received stream into a scratch tree (on disk
// beside the stream; in memory for an app held in memory) and reports
// whether it hashes to the trusted app hash. A malformed stream, the
// importer's panics included, is a false, not an error.
func (a *App) verifyRestore(r *restore, height int64) (bool, error) {
	var scratch *store.Tree
	var err error
	if a.dataDir != "" {
		scratch, err = store.OpenDir("verify", r.dir)
	} else {
		scratch, err = store.NewMemTree()
	}
	if err != nil {
		return false, fmt.Errorf("state sync: scratch database: %w", err)
	}
	defer scratch.Close()
	if err := importFile(scratch, height, r.file.Name()); err != nil {
		return false, nil
	}
	return bytes.Equal(scratch.Hash(), r.appHash), nil
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

// importFile rebuilds version height of an empty tree from the stream in
// file path, reading it sequentially (memory does not grow with the
// snapshot). The stream comes from a peer: IAVL's importer panics on some
// malformed node sequences (a 3-byte chunk was enough, issue 10 finding 4),
// and CometBFT's local client has no recover, so a panic is turned into an
// error here and the snapshot is rejected.
func importFile(t *store.Tree, height int64, path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("snapshot stream is malformed: the importer panicked: %v", r)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	imp, err := t.Import(height)
	if err != nil {
		return err
	}
	defer imp.Close()
	rd := &streamReader{r: bufio.NewReaderSize(f, 1<<16), left: st.Size()}
	for rd.left > 0 {
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

// streamReader reads a snapshot stream, knowing how much is left so that a
// length prefix can never ask for more than the stream holds.
type streamReader struct {
	r    *bufio.Reader
	left int64
}

func (s *streamReader) ReadByte() (byte, error) {
	b, err := s.r.ReadByte()
	if err == nil {
		s.left--
	}
	return b, err
}

func (s *streamReader) readN(n uint64) ([]byte, error) {
	if n > uint64(s.left) {
		return nil, io.ErrUnexpectedEOF
	}
	b := make([]byte, n)
	_, err := io.ReadFull(s.r, b)
	s.left -= int64(n)
	return b, err
}

func readExportNode(rd *streamReader) (*iavl.ExportNode, error) {
	readBytes := func() ([]byte, error) {
		n, err := binary.ReadUvarint(rd)
		if err != nil {
			return nil, err
		}
		return rd.readN(n)
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
