//go:build !js

package proof

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cometbft/cometbft/types"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// ErrNotFound is returned when the thing to prove does not exist and
// cannot be proven absent either.
var ErrNotFound = errors.New("not found")

// ErrUnprovable is returned when a state proof the bundle needs does not
// verify (in state version 1, the absence of a key next to an index entry
// with an empty value: ICS23 refuses empty values).
var ErrUnprovable = errors.New("cannot be proven")

// Builder assembles bundles from a node.
type Builder struct {
	Source Source
	// TrustHeight is the block whose validator set verifiers are expected
	// to trust (0 or 1: the genesis set). When the set has changed since,
	// the bundle carries a header chain from that block.
	TrustHeight int64
}

// link is a signed header with its validator set.
type link struct {
	sh   *types.SignedHeader
	vals *types.ValidatorSet
	// light is the same, as the verifier reads it.
	light signedLink
}

// Retirement proves the retirement record id, or that no retirement has
// that id at the proven height.
func (b *Builder) Retirement(ctx context.Context, id string) (*Bundle, error) {
	if err := checkSubjectText(id); err != nil {
		return nil, err
	}
	if _, ok := creditstypes.ParseRetirementID(id); !ok {
		return nil, fmt.Errorf("%q is not a retirement id like JCR-00000001", id)
	}
	return b.Build(ctx, KindRetirement, id, creditstypes.RetirementStoreKey(id), 0)
}

// Cancellation proves the cancellation record id, or that no cancellation
// has that id at the proven height.
func (b *Builder) Cancellation(ctx context.Context, id string) (*Bundle, error) {
	if err := checkSubjectText(id); err != nil {
		return nil, err
	}
	if _, ok := creditstypes.ParseCancellationID(id); !ok {
		return nil, fmt.Errorf("%q is not a cancellation id like JCX-00000001", id)
	}
	return b.Build(ctx, KindCancellation, id, creditstypes.CancellationStoreKey(id), 0)
}

// Account proves an account (or its absence), named by one of its keys'
// addresses or by its number: the account record, which names its current
// address, or the absence of the key (or of the numbered record).
func (b *Builder) Account(ctx context.Context, subject string) (*Bundle, error) {
	addr, n, err := accountstypes.ParseAccountArg(subject)
	if err != nil {
		return nil, err
	}
	if n != 0 {
		return b.Build(ctx, KindAccount, strconv.FormatUint(n, 10), accountstypes.AccountStoreKey(n), 0)
	}
	height, err := b.provableHeight(ctx)
	if err != nil {
		return nil, err
	}
	keyRefKey := accountstypes.KeyRefStoreKey(addr)
	value, _, err := b.Source.StoreKey(ctx, keyRefKey, height)
	if err != nil {
		return nil, err
	}
	if value == nil {
		return b.Build(ctx, KindAccount, addr.Hex(), keyRefKey, height)
	}
	var ref accountsv1.KeyRef
	if err := proto.Unmarshal(value, &ref); err != nil {
		return nil, fmt.Errorf("key %s: %w", addr.Hex(), err)
	}
	return b.Build(ctx, KindAccount, addr.Hex(), accountstypes.AccountStoreKey(ref.Account), height)
}

// Batch proves a batch (or its absence).
func (b *Builder) Batch(ctx context.Context, id string) (*Bundle, error) {
	n, err := creditstypes.ParseBatchID(id)
	if err != nil {
		return nil, err
	}
	return b.Build(ctx, KindBatch, creditstypes.BatchID(n), creditstypes.BatchStoreKey(n), 0)
}

// Serial proves the state of one credit: the range holding it, or, if it
// was never issued, the absence of its batch or the batch's issued count.
func (b *Builder) Serial(ctx context.Context, serial string) (*Bundle, error) {
	s, err := creditstypes.ParseSerial(serial)
	if err != nil {
		return nil, err
	}
	if s.Start != s.End {
		return nil, fmt.Errorf("%s is a block of serials; give one serial", serial)
	}
	subject := s.String()
	height, err := b.provableHeight(ctx)
	if err != nil {
		return nil, err
	}
	batchKey := creditstypes.BatchStoreKey(s.Batch)
	value, _, err := b.Source.StoreKey(ctx, batchKey, height)
	if err != nil {
		return nil, err
	}
	if value == nil {
		return b.Build(ctx, KindSerial, subject, batchKey, height)
	}
	var bt creditsv1.Batch
	if err := proto.Unmarshal(value, &bt); err != nil {
		return nil, fmt.Errorf("batch %s: %w", creditstypes.BatchID(s.Batch), err)
	}
	if bt.Issued < s.Start {
		return b.Build(ctx, KindSerial, subject, batchKey, height)
	}
	_, key, err := b.Source.Query(ctx, SerialQueryPath, SerialQueryData(subject), height)
	if err != nil {
		return nil, err
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("the node's answer to %s %s names no state key", SerialQueryPath, SerialQueryData(subject))
	}
	// The range says who holds the credit and its status; the batch, also
	// proven, holds the category and vintage that the serial names.
	return b.Build(ctx, KindSerial, subject, key, height, batchKey)
}

// Total proves one statistic or account total (or that it is 0), subject
// written as creditstypes.Total spells it; an account may be given by one
// of its keys' addresses ("retired,account=0x…,fiscal_year=2025"), which is
// resolved to its number in the proven state. A subject starting with
// "projects" proves projects by status (projectstypes.ProjectTotal:
// "projects,status=registered", or "projects" for every status).
func (b *Builder) Total(ctx context.Context, subject string) (*Bundle, error) {
	if err := checkSubjectText(subject); err != nil {
		return nil, err
	}
	height, err := b.provableHeight(ctx)
	if err != nil {
		return nil, err
	}
	if projectstypes.IsProjectTotal(subject) {
		// Projects by status (project_total.go): one counter, or all five.
		t, err := projectstypes.ParseProjectTotal(subject)
		if err != nil {
			return nil, err
		}
		keys := t.StoreKeys()
		return b.Build(ctx, KindTotal, t.String(), keys[0], height, keys[1:]...)
	}
	parts := strings.Split(subject, ",")
	for i, p := range parts {
		v, ok := strings.CutPrefix(p, "account=")
		if !ok || !strings.HasPrefix(v, "0x") {
			continue
		}
		addr, _, err := accountstypes.ParseAccountArg(v)
		if err != nil {
			return nil, err
		}
		value, _, err := b.Source.StoreKey(ctx, accountstypes.KeyRefStoreKey(addr), height)
		if err != nil {
			return nil, err
		}
		if value == nil {
			return nil, fmt.Errorf("%s is no account's key at height %d: %w", addr.Hex(), height, ErrNotFound)
		}
		var ref accountsv1.KeyRef
		if err := proto.Unmarshal(value, &ref); err != nil {
			return nil, fmt.Errorf("key %s: %w", addr.Hex(), err)
		}
		parts[i] = "account=" + strconv.FormatUint(ref.Account, 10)
	}
	t, err := creditstypes.ParseTotal(strings.Join(parts, ","))
	if err != nil {
		return nil, err
	}
	return b.Build(ctx, KindTotal, t.String(), t.StoreKey(), height)
}

// SerialQueryPath is the app query (x/credits' Serial) whose backing key is
// the range holding a serial; SerialQueryData is its request.
const SerialQueryPath = "/credits/Serial"

// SerialQueryData is the request of SerialQueryPath for serial.
func SerialQueryData(serial string) []byte {
	bz, _ := module.MarshalJSON(&creditsv1.QuerySerialRequest{Serial: serial})
	return bz
}

// provableHeight is the latest state version whose app hash is in a
// committed header: the state before the latest block.
func (b *Builder) provableHeight(ctx context.Context) (int64, error) {
	latest, err := b.Source.LatestHeight(ctx)
	if err != nil {
		return 0, err
	}
	if latest < 2 {
		return 0, fmt.Errorf("the chain is at height %d; a proof needs two blocks", latest)
	}
	return latest - 1, nil
}

// Build proves key (present or absent) in state version height (0: the
// latest provable one), and each of also in the same state, and renders
// their values as kind.
func (b *Builder) Build(ctx context.Context, kind, subject string, key []byte, height int64, also ...[]byte) (*Bundle, error) {
	if _, ok := kinds[kind]; !ok {
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	if height == 0 {
		h, err := b.provableHeight(ctx)
		if err != nil {
			return nil, err
		}
		height = h
	}
	main, err := b.entry(ctx, kind, key, height)
	if err != nil {
		return nil, err
	}
	top, err := b.link(ctx, height+1)
	if err != nil {
		return nil, err
	}
	bd := &Bundle{
		Format: Format, ChainID: top.sh.ChainID, Kind: kind, Subject: subject,
		Exists: main.Exists, Key: main.Key, Value: main.Value, Record: main.Record, Height: height, Proof: main.Proof,
		Validators: FromValidatorSet(top.vals),
	}
	for _, k := range also {
		e, err := b.entry(ctx, kind, k, height)
		if err != nil {
			return nil, err
		}
		bd.Also = append(bd.Also, e)
	}
	// Never hand out a bundle whose state proofs do not verify (an absence
	// next to an empty value cannot be proven in ICS23).
	for _, e := range append([]Entry{main}, bd.Also...) {
		if err := checkEntryProof(e, top.sh.AppHash); err != nil {
			return nil, fmt.Errorf("%s %s at height %d: %w: %v", kind, subject, height, ErrUnprovable, err)
		}
	}
	if bd.Header, err = encodeHeader(top.sh.Header); err != nil {
		return nil, err
	}
	if bd.Commit, err = encodeCommit(top.sh.Commit); err != nil {
		return nil, err
	}
	chain, err := b.chain(ctx, top)
	if err != nil {
		return nil, err
	}
	for _, l := range chain {
		enc := Link{Validators: FromValidatorSet(l.vals)}
		if enc.Header, err = encodeHeader(l.sh.Header); err != nil {
			return nil, err
		}
		if enc.Commit, err = encodeCommit(l.sh.Commit); err != nil {
			return nil, err
		}
		bd.Chain = append(bd.Chain, enc)
	}
	return bd, nil
}

// entry proves one key of state height and renders its value as kind.
func (b *Builder) entry(ctx context.Context, kind string, key []byte, height int64) (Entry, error) {
	value, prf, err := b.Source.StoreKey(ctx, key, height)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Exists: value != nil, Key: key, Value: value, Proof: prf}
	if s, ok := projectstypes.StatusOfCountStoreKey(key); ok && kind == KindTotal {
		// A project counter is 8 bytes, not a message (project_total.go).
		if e.Exists {
			if e.Record, err = projectCountRecord(s, value); err != nil {
				return Entry{}, err
			}
		}
		return e, nil
	}
	if e.Exists {
		m, err := recordMessage(kind, key)
		if err != nil {
			return Entry{}, err
		}
		if err := proto.Unmarshal(value, m); err != nil {
			return Entry{}, fmt.Errorf("decode %s: %w", kind, err)
		}
		if e.Record, err = RecordJSON(m); err != nil {
			return Entry{}, err
		}
	}
	return e, nil
}

// recordMessage is the stored type of a kind's key.
func recordMessage(kind string, key []byte) (proto.Message, error) {
	switch kind {
	case KindRetirement:
		return &creditsv1.Retirement{}, nil
	case KindCancellation:
		return &creditsv1.Cancellation{}, nil
	case KindAccount:
		return &accountsv1.Account{}, nil
	case KindBatch:
		return &creditsv1.Batch{}, nil
	case KindTotal:
		return &creditsv1.Counter{}, nil
	case KindGxEts:
		if m := gxRecordMessage(key); m != nil {
			return m, nil
		}
		return nil, fmt.Errorf("key %X is none a GX-ETS bundle proves", key)
	case KindSerial:
		if isBatchKey(key) {
			return &creditsv1.Batch{}, nil
		}
		return &creditsv1.Range{}, nil
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

func isBatchKey(key []byte) bool {
	p := creditstypes.BatchStoreKey(0)
	return len(key) == len(p) && string(key[:len(p)-8]) == string(p[:len(p)-8])
}

func (b *Builder) link(ctx context.Context, height int64) (link, error) {
	sh, err := b.Source.SignedHeader(ctx, height)
	if err != nil {
		return link{}, fmt.Errorf("header %d: %w", height, err)
	}
	vals, err := b.Source.Validators(ctx, height)
	if err != nil {
		return link{}, fmt.Errorf("validators %d: %w", height, err)
	}
	// step (used to find the chain) counts signatures it assumes checked;
	// and a bundle is only as good as the headers the node gave.
	light, err := lightLink(sh, vals)
	if err == nil {
		err = checkCommit(light.sh, light.vals)
	}
	if err != nil {
		return link{}, fmt.Errorf("the node's header %d: %w", height, err)
	}
	return link{sh: sh, vals: vals, light: light}, nil
}

// chain returns the headers a verifier needs between the trust root and
// top: none if top is signed by the trusted set, else the root header
// itself followed by the fewest headers bisection finds, each verifiable
// from the one before (as CometBFT's light client skips).
func (b *Builder) chain(ctx context.Context, top link) ([]link, error) {
	rootHeight := b.TrustHeight
	if rootHeight < 1 {
		rootHeight = 1
	}
	if rootHeight >= top.sh.Height {
		return nil, fmt.Errorf("trust height %d is not below the proven block %d", rootHeight, top.sh.Height)
	}
	rootVals, err := b.Source.Validators(ctx, rootHeight)
	if err != nil {
		return nil, fmt.Errorf("validators %d: %w", rootHeight, err)
	}
	if string(rootVals.Hash()) == string(top.vals.Hash()) {
		return nil, nil
	}
	root, err := b.link(ctx, rootHeight)
	if err != nil {
		return nil, err
	}
	between, err := b.bisect(ctx, root, top, 0)
	if err != nil {
		return nil, err
	}
	return append([]link{root}, between...), nil
}

// bisect returns the headers strictly between trusted and target that make
// each step verifiable.
func (b *Builder) bisect(ctx context.Context, trusted, target link, depth int) ([]link, error) {
	if _, err := step(trusted.light.sh, trusted.light.vals, target.light.sh, target.light.vals); err == nil {
		return nil, nil
	}
	if target.sh.Height-trusted.sh.Height <= 1 || depth > 64 {
		return nil, fmt.Errorf("cannot verify block %d from block %d: the chain does not lead from the trust root", target.sh.Height, trusted.sh.Height)
	}
	mid, err := b.link(ctx, (trusted.sh.Height+target.sh.Height)/2)
	if err != nil {
		return nil, err
	}
	left, err := b.bisect(ctx, trusted, mid, depth+1)
	if err != nil {
		return nil, err
	}
	right, err := b.bisect(ctx, mid, target, depth+1)
	if err != nil {
		return nil, err
	}
	out := append(left, mid)
	return append(out, right...), nil
}
