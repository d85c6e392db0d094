package credits

import (
	"encoding/binary"
	"errors"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// RegisterQueries answers the rpcs of service jcredit.credits.v1.Query
// (proto/jcredit/credits/v1/query.proto) at /credits/<rpc>, each request in
// protobuf JSON (see x/module). Single records are provable: Serial (the
// range holding the serial, r/<batch><start>), Batch (b/<number>),
// Retirement (t/<id>), Cancellation (c/<id>), UseTable (ut/<version>),
// LabelChange (lh/<batch><n>), Lock (lk/<id>). Lists page (x/module: Page):
//
//	Batches        b/<number>: by batch number; project and category filters
//	Holdings       o/<account>[<status>]: the owner index's order (status,
//	               vintage, batch, first serial)
//	Retirements    by retirement number, from one index (below)
//	Cancellations  c/<id>: by id; a batch filter (its index, xb/<batch>)
//	UseTables      ut/<version>: by version
//	LabelChanges   lh/<batch><n>: one batch's, in order
//	Stats          st/<dimension><measure>: one row per value (query_stats.go)
//	AccountTotals  ta/<account>: by use, then fiscal year
//	Ranges         r/<batch>: one batch's ranges by first serial; a status filter
//	Locks          lk/<id>: by id; holder, agent and status filters
//	Offers         of/<id>: by id; holder, batch, category, vintage filters
//
// Retirements: the filters combine, each with its index (doc.go, Listing
// retirements; query_retirements.go): a batch alone walks the batch's
// ranges (in serial order); otherwise the indexes of the filters given are
// walked in step, in retirement-number order, narrowed by a date range to
// the numbers it spans (two seeks in rt/). A page examines at most
// module.ScanBudget entries and says so (page.partial) when it stops
// short.
//
// Records name accounts by number; answers list those accounts under
// "accounts" with their address and legal name at the answer's height
// (resolved when read, never part of a proven value).
func (k *Keeper) RegisterQueries(r *module.QueryRouter) {
	s := r.Service(ModuleName, creditsv1.File_jcredit_credits_v1_query_proto.Services().ByName("Query"))
	module.RegisterRecordQuery(s, k.querySerial)
	module.RegisterRecordQuery(s, k.queryBatch)
	module.RegisterQuery(s, k.queryBatches)
	module.RegisterQuery(s, k.queryHoldings)
	module.RegisterRecordQuery(s, k.queryRetirement)
	module.RegisterQuery(s, k.queryRetirements)
	module.RegisterRecordQuery(s, k.queryCancellation)
	module.RegisterQuery(s, k.queryCancellations)
	module.RegisterRecordQuery(s, k.queryUseTable) // query_rules.go
	module.RegisterQuery(s, k.queryUseTables)
	module.RegisterRecordQuery(s, k.queryLabelChange)
	module.RegisterQuery(s, k.queryLabelChanges)
	module.RegisterQuery(s, k.queryStats) // query_stats.go
	module.RegisterQuery(s, k.queryAccountTotals)
	module.RegisterQuery(s, k.queryRanges)     // query_ranges.go
	module.RegisterRecordQuery(s, k.queryLock) // query_locks.go
	module.RegisterQuery(s, k.queryLocks)
	module.RegisterQuery(s, k.queryOffers)          // query_offers.go
	module.RegisterRecordQuery(s, k.queryGxRetired) // gx.go
}

func (k *Keeper) querySerial(q module.QueryContext, req *creditsv1.QuerySerialRequest) (*creditsv1.QuerySerialResponse, []byte, error) {
	serial, err := types.ParseSerial(req.Serial)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	r, b, key, err := FindRange(q.Store, serial)
	if err != nil {
		return nil, nil, notFound(err)
	}
	out := &creditsv1.QuerySerialResponse{Range: r, Serial: serial.String(), Batch: b, Whole: r.End >= serial.End}
	nums := []uint64{r.OwnerAccount}
	st := store(q.Store)
	if r.RetirementId != "" {
		if out.Retirement, err = getRetirement(st, r.RetirementId); err != nil {
			return nil, nil, err
		}
		if out.Retirement != nil {
			nums = append(nums, out.Retirement.AccountNumber, out.Retirement.BeneficiaryAccountNumber)
		}
	}
	if r.LockId != "" {
		nums = append(nums, r.LockAgentAccount)
	}
	if r.CancellationId != "" {
		if out.Cancellation, err = getCancellation(st, r.CancellationId); err != nil {
			return nil, nil, err
		}
		if out.Cancellation != nil {
			nums = append(nums, out.Cancellation.MinistryAccount)
		}
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, nil, err
	}
	return out, key, nil
}

func (k *Keeper) queryBatch(q module.QueryContext, req *creditsv1.QueryBatchRequest) (*creditsv1.QueryBatchResponse, []byte, error) {
	if _, err := types.ParseBatchID(req.Id); err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	b, err := k.GetBatch(q.Store, req.Id)
	if err != nil {
		return nil, nil, notFound(err)
	}
	return &creditsv1.QueryBatchResponse{Batch: b}, types.BatchStoreKey(b.Number), nil
}

func (k *Keeper) queryBatches(q module.QueryContext, req *creditsv1.QueryBatchesRequest) (*creditsv1.QueryBatchesResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	if err := checkIDFilter("project_id", req.ProjectId); err != nil {
		return nil, err
	}
	name, err := module.NewNameFilter(req.Name)
	if err != nil {
		return nil, err
	}
	// The name filter matches the project's name the batch recorded at
	// issuance (as the batch shows it); a batch without one (issued before
	// it was recorded) is matched by its project's record in x/projects'
	// state, read once per project a page.
	projectMatches := map[string]bool{}
	nameOf := func(projectID string) (bool, error) {
		if ok, seen := projectMatches[projectID]; seen {
			return ok, nil
		}
		ok, err := projectNameMatches(q.Store, projectID, name)
		if err != nil {
			return false, err
		}
		projectMatches[projectID] = ok
		return ok, nil
	}
	out := &creditsv1.QueryBatchesResponse{}
	out.Page, err = pg.Walk(store(q.Store), types.BatchPrefix, func(_, value []byte) (bool, error) {
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(value, b); err != nil {
			return false, module.ErrInternal.Wrapf("batch: %v", err)
		}
		if (req.ProjectId != "" && b.ProjectId != req.ProjectId) || (req.Category != 0 && b.Category != req.Category) {
			return false, nil
		}
		if name.Set() && b.ProjectName != "" && !name.Match(b.ProjectName) {
			return false, nil
		}
		if name.Set() && b.ProjectName == "" {
			ok, err := nameOf(b.ProjectId)
			if err != nil || !ok {
				return false, err
			}
		}
		out.Batches = append(out.Batches, b)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryHoldings(q module.QueryContext, req *creditsv1.QueryHoldingsRequest) (*creditsv1.QueryHoldingsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	n, err := k.queryAccount(q.Store, "account", req.Account)
	if err != nil {
		return nil, err
	}
	out := &creditsv1.QueryHoldingsResponse{AccountNumber: n}
	if n == 0 {
		// No account holds anything under this address.
		out.Page = &queryv1.PageResponse{Height: q.Height}
		return out, nil
	}
	prefix := types.OwnerAccountPrefix(n)
	if req.Status != 0 {
		prefix = types.OwnerStatusPrefix(n, req.Status)
	}
	st := store(q.Store)
	bc := newBatchCache(st)
	// The ranges, in the owner index's order within a batch (by first
	// serial), by stepping one iterator rather than seeking each.
	ranges := module.NewLookup(st, types.RangePrefix, pg.Reverse())
	defer ranges.Close()
	out.Page, err = pg.Walk(st, prefix, func(key, _ []byte) (bool, error) {
		if len(key) < 16 {
			return false, module.ErrInternal.Wrapf("malformed owner index entry")
		}
		batch, start := binary.BigEndian.Uint64(key[len(key)-16:]), binary.BigEndian.Uint64(key[len(key)-8:])
		b, err := bc.get(batch)
		if err != nil {
			return false, err
		}
		r, err := decodeRangeOrNil(ranges.Get(types.RangeKey(batch, start)), batch, start)
		if err != nil || r == nil {
			return false, module.ErrInternal.Wrapf("owner index names a missing range %d/%d", batch, start)
		}
		out.Holdings = append(out.Holdings, &creditsv1.Holding{
			BatchId: b.Id, Start: r.Start, End: r.End, Serials: types.FormatSerial(types.SerialOf(b, r.Start, r.End)),
			Quantity: r.End - r.Start + 1, Status: r.Status, RetirementId: r.RetirementId, CancellationId: r.CancellationId,
			Category: b.Category, VintageStart: b.VintageStart, VintageEnd: b.VintageEnd,
		})
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, n); err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryRetirement(q module.QueryContext, req *creditsv1.QueryRetirementRequest) (*creditsv1.QueryRetirementResponse, []byte, error) {
	if _, ok := types.ParseRetirementID(req.Id); !ok {
		return nil, nil, module.ErrBadQuery.Wrapf("%q is not a retirement id like JCR-00000001", req.Id)
	}
	r, err := getRetirement(store(q.Store), req.Id)
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no retirement %q", req.Id)
	}
	refs, err := k.refs(q, r.AccountNumber, r.BeneficiaryAccountNumber)
	if err != nil {
		return nil, nil, err
	}
	return &creditsv1.QueryRetirementResponse{Retirement: r, Accounts: refs}, types.RetirementStoreKey(r.Id), nil
}

func (k *Keeper) queryCancellation(q module.QueryContext, req *creditsv1.QueryCancellationRequest) (*creditsv1.QueryCancellationResponse, []byte, error) {
	if _, ok := types.ParseCancellationID(req.Id); !ok {
		return nil, nil, module.ErrBadQuery.Wrapf("%q is not a cancellation id like JCX-00000001", req.Id)
	}
	c, err := getCancellation(store(q.Store), req.Id)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no cancellation %q", req.Id)
	}
	refs, err := k.refs(q, c.MinistryAccount)
	if err != nil {
		return nil, nil, err
	}
	return &creditsv1.QueryCancellationResponse{Cancellation: c, Accounts: refs}, types.CancellationStoreKey(c.Id), nil
}

func (k *Keeper) queryCancellations(q module.QueryContext, req *creditsv1.QueryCancellationsRequest) (*creditsv1.QueryCancellationsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	if req.BatchId != "" {
		if _, err := types.ParseBatchID(req.BatchId); err != nil {
			return nil, module.ErrBadQuery.Wrapf("batch_id: %v", err)
		}
	}
	out := &creditsv1.QueryCancellationsResponse{}
	var nums []uint64
	keep := func(value []byte) (bool, error) {
		c := &creditsv1.Cancellation{}
		if err := proto.Unmarshal(value, c); err != nil {
			return false, module.ErrInternal.Wrapf("cancellation: %v", err)
		}
		if req.BatchId != "" && !drawsFrom(c.Blocks, req.BatchId) {
			return false, nil
		}
		out.Cancellations = append(out.Cancellations, c)
		nums = append(nums, c.MinistryAccount)
		return true, nil
	}
	st := store(q.Store)
	if req.BatchId != "" {
		// The batch's index (xb/<batch#><number>) names exactly its
		// cancellations, in number order: the records' order.
		bn, _ := types.ParseBatchID(req.BatchId)
		records := module.NewLookup(st, types.CancellationPrefix, pg.Reverse())
		defer records.Close()
		out.Page, err = pg.Walk(st, types.CancellationBatchPrefix(bn), func(key, _ []byte) (bool, error) {
			if len(key) != 8 {
				return false, module.ErrInternal.Wrapf("malformed cancellation index key")
			}
			id := types.CancellationID(binary.BigEndian.Uint64(key))
			v := records.Get(types.CancellationKey(id))
			if v == nil {
				return false, module.ErrInternal.Wrapf("the batch index names %s, which does not exist", id)
			}
			return keep(v)
		})
	} else {
		out.Page, err = pg.Walk(st, types.CancellationPrefix, func(_, value []byte) (bool, error) { return keep(value) })
	}
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

// hasUse reports whether r counts in use (its uses; a record of state
// version 1, which the v2 migration rewrites, named one).
func hasUse(r *creditsv1.Retirement, use creditsv1.Use) bool {
	for _, u := range r.Uses {
		if u == use {
			return true
		}
	}
	return r.Use == use //nolint:staticcheck // deprecated: read for records not yet migrated
}

func drawsFrom(blocks []*creditsv1.SerialBlock, batch string) bool {
	for _, b := range blocks {
		if b.BatchId == batch {
			return true
		}
	}
	return false
}

// checkIDFilter checks a free-form id filter (project ids are kept as
// their source wrote them: migrated batches may name legacy projects).
func checkIDFilter(name, v string) error {
	if len(v) > 64 || !module.ValidText(v) {
		return module.ErrBadQuery.Wrapf("%s %.64q is not an id", name, v)
	}
	return nil
}

// notFound turns "no such batch / serial" into the shared query error.
func notFound(err error) error {
	if errors.Is(err, ErrUnknownBatch) || errors.Is(err, ErrUnknownSerial) {
		return module.ErrNotFound.Wrapf("%v", err)
	}
	return err
}

// queryAccount resolves an account named in a query (address or number).
// An address that is no account's key resolves to 0: it holds nothing and
// retired nothing.
func (k *Keeper) queryAccount(s module.KVStore, field, arg string) (uint64, error) {
	addr, n, err := accountstypes.ParseAccountArg(arg)
	if err != nil {
		return 0, module.ErrBadQuery.Wrapf("%s: %v", field, err)
	}
	if n != 0 {
		return n, nil
	}
	n, _ = k.accounts.AccountNumber(s, addr)
	return n, nil
}

// refs resolves account numbers for an answer's "accounts".
func (k *Keeper) refs(q module.QueryContext, nums ...uint64) ([]*accountstypes.AccountRef, error) {
	return accountstypes.Refs(func(n uint64) (*accountsv1.Account, error) { return k.accounts.Account(q.Store, n) }, nums...)
}

// projectNameMatches reports whether the project a batch names has a name
// matching f. It reads the project record at its x/projects state key (a
// read-only query: credits does not otherwise depend on x/projects).
func projectNameMatches(s module.KVStore, projectID string, f module.NameFilter) (bool, error) {
	seq, err := projectstypes.ParseProjectID(projectID)
	if err != nil {
		return false, nil // a batch not of a registry project has no project name
	}
	bz := s.Get(projectstypes.ProjectStoreKey(seq))
	if bz == nil {
		return false, nil
	}
	p := &projectsv1.Project{}
	if err := proto.Unmarshal(bz, p); err != nil {
		return false, module.ErrInternal.Wrapf("project %s: %v", projectID, err)
	}
	return f.Match(p.Name), nil
}
