package credits

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// QueryLimit bounds the records a list query returns; answers say when
// they were cut.
const QueryLimit = 1000

// Query paths under /credits/ (answers are JSON; those marked provable
// return the state key that backs them, for prove=true):
//
//	serial/<serial>                    who holds a credit or block, its status, batch and retirement (provable: the range)
//	batch/<batch id>                   a batch with its supply counters (provable)
//	batches                            every batch, oldest first
//	holdings/<address|number>          an account's ranges and totals per batch
//	retirement/<id>                    a retirement record (provable)
//	cancellation/<id>                  a cancellation record (provable)
//	retirements/account/<address|number> retirements signed by, or naming, an account
//	retirements/beneficiary/<name>     retirements for a beneficiary name (or the name as query data)
//	retirements/fiscal-year/<year>     retirements reported in a fiscal year
//	retirements/use/<use>              retirements for a use (e.g. USE_RE100 or re100)
//	use-table[/<version>]              the use table in force, or a version of it (provable)
//	use-tables                         every version of the use table, oldest first
//	label-change/<batch id>/<n>        change n of a batch's labels (provable)
//	label-changes/<batch id>           a batch's label history, oldest first
//
// Records name accounts by number; answers list those accounts under
// "accounts" with their address and legal name at the answer's height
// (resolved when read, never part of a proven value).
func (k *Keeper) Query(q module.QueryContext, path string, data []byte) (module.QueryResult, error) {
	st := store(q.Store)
	head, arg, _ := strings.Cut(path, "/")
	switch head {
	case "serial":
		return k.querySerial(q.Store, arg)
	case "batch":
		b, err := k.GetBatch(q.Store, arg)
		if err != nil {
			return module.QueryResult{}, notFound(err)
		}
		return result(protoJSON(b), types.BatchStoreKey(b.Number))
	case "batches":
		return queryBatches(st)
	case "holdings":
		n, addr, err := k.queryAccount(q.Store, arg)
		if err != nil {
			return module.QueryResult{}, err
		}
		return k.queryHoldings(q.Store, n, addr)
	case "retirement":
		r, err := getRetirement(st, arg)
		if err != nil {
			return module.QueryResult{}, err
		}
		if r == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no retirement %q", arg)
		}
		return k.withAccounts(q.Store, protoJSON(r), types.RetirementStoreKey(r.Id), r.AccountNumber, r.BeneficiaryAccountNumber)
	case "cancellation":
		c, err := getCancellation(st, arg)
		if err != nil {
			return module.QueryResult{}, err
		}
		if c == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no cancellation %q", arg)
		}
		return k.withAccounts(q.Store, protoJSON(c), types.CancellationStoreKey(c.Id), c.MinistryAccount)
	case "retirements":
		return k.queryRetirements(q.Store, arg, data)
	case "use-table", "use-tables", "label-change", "label-changes":
		return k.queryRules(q.Store, head, arg)
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown credits query %q", path)
}

// SerialAnswer is the answer to serial/<serial>.
type SerialAnswer struct {
	Serial string          `json:"serial"`
	Batch  json.RawMessage `json:"batch"`
	Range  json.RawMessage `json:"range"`
	Status string          `json:"status"`
	// Owner is the holding account's current address; OwnerAccount its
	// number (what the range records).
	Owner        string          `json:"owner"`
	OwnerAccount uint64          `json:"owner_account,string"`
	Retirement   json.RawMessage `json:"retirement,omitempty"`
	Cancellation json.RawMessage `json:"cancellation,omitempty"`
	// Whole is false when a block spans several ranges: the answer is then
	// about its first credit's range.
	Whole bool `json:"whole"`
	// Accounts are the accounts the answer names by number.
	Accounts []accountstypes.AccountRef `json:"accounts"`
}

func (k *Keeper) querySerial(s module.KVStore, arg string) (module.QueryResult, error) {
	serial, err := types.ParseSerial(arg)
	if err != nil {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
	}
	r, b, key, err := FindRange(s, serial)
	if err != nil {
		return module.QueryResult{}, notFound(err)
	}
	ans := SerialAnswer{
		Serial: serial.String(), Batch: protoJSON(b), Range: protoJSON(r),
		Status: r.Status.String(), Owner: k.addressOf(s, r.OwnerAccount), OwnerAccount: r.OwnerAccount,
		Whole: r.End >= serial.End,
	}
	nums := []uint64{r.OwnerAccount}
	if r.RetirementId != "" {
		rec, err := getRetirement(store(s), r.RetirementId)
		if err != nil {
			return module.QueryResult{}, err
		}
		if rec != nil {
			ans.Retirement = protoJSON(rec)
			nums = append(nums, rec.AccountNumber, rec.BeneficiaryAccountNumber)
		}
	}
	if r.CancellationId != "" {
		rec, err := getCancellation(store(s), r.CancellationId)
		if err != nil {
			return module.QueryResult{}, err
		}
		if rec != nil {
			ans.Cancellation = protoJSON(rec)
			nums = append(nums, rec.MinistryAccount)
		}
	}
	if ans.Accounts, err = k.refs(s, nums...); err != nil {
		return module.QueryResult{}, err
	}
	return jsonResult(ans, key)
}

func queryBatches(st module.KVStore) (module.QueryResult, error) {
	out := struct {
		Batches   []json.RawMessage `json:"batches"`
		Truncated bool              `json:"truncated"`
	}{Batches: []json.RawMessage{}}
	it := st.Iterator(types.BatchPrefix, module.PrefixEnd(types.BatchPrefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if len(out.Batches) == QueryLimit {
			out.Truncated = true
			break
		}
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(it.Value(), b); err != nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
		}
		out.Batches = append(out.Batches, protoJSON(b))
	}
	return jsonResult(out, nil)
}

// HoldingsAnswer is the answer to holdings/<address|number>.
type HoldingsAnswer struct {
	// Account is the account's current address (or the address asked
	// about, if it is no account's key: then nothing is held);
	// AccountNumber and LegalName say whose it is.
	Account       string          `json:"account"`
	AccountNumber uint64          `json:"account_number,string"`
	LegalName     string          `json:"legal_name"`
	Active        uint64          `json:"active"`
	Retired       uint64          `json:"retired"`
	Cancelled     uint64          `json:"cancelled"`
	Batches       []*BatchHolding `json:"batches"`
	// Truncated is true when the account has more than QueryLimit ranges:
	// only the first are listed and counted.
	Truncated bool `json:"truncated"`
}

// BatchHolding is an account's credits of one batch.
type BatchHolding struct {
	BatchID   string         `json:"batch_id"`
	Active    uint64         `json:"active"`
	Retired   uint64         `json:"retired"`
	Cancelled uint64         `json:"cancelled"`
	Ranges    []HoldingRange `json:"ranges"`
}

// HoldingRange is one range in a holdings answer.
type HoldingRange struct {
	Serials      string `json:"serials"`
	Start        uint64 `json:"start"`
	End          uint64 `json:"end"`
	Status       string `json:"status"`
	RetirementID string `json:"retirement_id,omitempty"`
}

func (k *Keeper) queryHoldings(s module.KVStore, n uint64, addr string) (module.QueryResult, error) {
	ans := HoldingsAnswer{Account: addr, AccountNumber: n, Batches: []*BatchHolding{}}
	if n == 0 {
		return jsonResult(ans, nil)
	}
	if acc, err := k.accounts.Account(s, n); err != nil {
		return module.QueryResult{}, err
	} else if acc != nil {
		ans.Account, ans.LegalName = acc.Address, acc.LegalName
	}
	st := store(s)
	byBatch := map[uint64]*BatchHolding{}
	bc := newBatchCache(st)
	p := types.OwnerAccountPrefix(n)
	it := st.Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	count := 0
	for ; it.Valid(); it.Next() {
		if count == QueryLimit {
			ans.Truncated = true
			break
		}
		count++
		batch, start, ok := types.ParseOwnerKey(it.Key())
		if !ok {
			return module.QueryResult{}, module.ErrInternal.Wrapf("malformed owner index entry")
		}
		b, err := bc.get(batch)
		if err != nil {
			return module.QueryResult{}, err
		}
		r, err := getRange(st, batch, start)
		if err != nil || r == nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("owner index names a missing range %d/%d", batch, start)
		}
		h := byBatch[batch]
		if h == nil {
			h = &BatchHolding{BatchID: b.Id}
			byBatch[batch] = h
			ans.Batches = append(ans.Batches, h)
		}
		q := r.End - r.Start + 1
		switch r.Status {
		case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
			h.Active += q
			ans.Active += q
		case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
			h.Retired += q
			ans.Retired += q
		case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
			h.Cancelled += q
			ans.Cancelled += q
		}
		h.Ranges = append(h.Ranges, HoldingRange{
			Serials: types.FormatSerial(types.SerialOf(b, r.Start, r.End)), Start: r.Start, End: r.End,
			Status: r.Status.String(), RetirementID: r.RetirementId,
		})
	}
	return jsonResult(ans, nil)
}

func (k *Keeper) queryRetirements(s module.KVStore, arg string, data []byte) (module.QueryResult, error) {
	st := store(s)
	kind, val, _ := strings.Cut(arg, "/")
	var heads [][]byte
	switch kind {
	case "account":
		n, _, err := k.queryAccount(s, val)
		if err != nil {
			return module.QueryResult{}, err
		}
		heads = [][]byte{module.Key(types.ByAccountPrefix, module.Uint64(n)), module.Key(types.ByBenefAcctPrefix, module.Uint64(n))}
	case "beneficiary":
		if val == "" {
			val = string(data)
		}
		if val == "" || len(val) > MaxNameLen {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("give a beneficiary name")
		}
		heads = [][]byte{module.Key(types.ByBenefNamePrefix, types.NameHead(val))}
	case "fiscal-year":
		fy, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("fiscal year %q is not a number", val)
		}
		heads = [][]byte{module.Key(types.ByFiscalYearPrefix, types.FiscalYearHead(uint32(fy)))}
	case "use":
		u, ok := parseUse(val)
		if !ok {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown use %q", val)
		}
		heads = [][]byte{module.Key(types.ByUsePrefix, []byte{byte(u)})}
	default:
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("retirements by account, beneficiary, fiscal-year or use")
	}
	out := struct {
		Retirements []json.RawMessage          `json:"retirements"`
		Truncated   bool                       `json:"truncated"`
		Accounts    []accountstypes.AccountRef `json:"accounts"`
	}{Retirements: []json.RawMessage{}}
	var accountNums []uint64
	// Collect retirement numbers from each index, in id order, without
	// repeating one named by two indexes (signed by and naming an account).
	var nums []uint64
	seen := map[uint64]bool{}
	for _, h := range heads {
		it := st.Iterator(h, module.PrefixEnd(h))
		for ; it.Valid() && len(nums) <= QueryLimit; it.Next() {
			k := it.Key()
			if len(k) != len(h)+8 {
				continue
			}
			n := binary.BigEndian.Uint64(k[len(h):])
			if !seen[n] {
				seen[n] = true
				nums = append(nums, n)
			}
		}
		it.Close()
	}
	sortU64(nums)
	for _, n := range nums {
		if len(out.Retirements) == QueryLimit {
			out.Truncated = true
			break
		}
		r, err := getRetirement(st, types.RetirementID(n))
		if err != nil {
			return module.QueryResult{}, err
		}
		if r != nil {
			out.Retirements = append(out.Retirements, protoJSON(r))
			accountNums = append(accountNums, r.AccountNumber, r.BeneficiaryAccountNumber)
		}
	}
	var err error
	if out.Accounts, err = k.refs(s, accountNums...); err != nil {
		return module.QueryResult{}, err
	}
	return jsonResult(out, nil)
}

// parseUse accepts "USE_RE100", "RE100", "re100", "gx-ets" and the like.
func parseUse(s string) (creditsv1.Use, bool) {
	name := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	if !strings.HasPrefix(name, "USE_") {
		name = "USE_" + name
	}
	v, ok := creditsv1.Use_value[name]
	if !ok || v == 0 {
		return 0, false
	}
	return creditsv1.Use(v), true
}

func sortU64(a []uint64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// notFound turns "no such batch / serial" into the shared query error.
func notFound(err error) error {
	if errors.Is(err, ErrUnknownBatch) || errors.Is(err, ErrUnknownSerial) {
		return module.ErrNotFound.Wrapf("%v", err)
	}
	return err
}

func protoJSON(m proto.Message) json.RawMessage {
	bz, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bz
}

func result(v json.RawMessage, key []byte) (module.QueryResult, error) {
	return jsonResult(v, key)
}

// queryAccount resolves an account named in a query path (address or
// number). An address that is no account's key resolves to 0: it holds
// nothing and retired nothing.
func (k *Keeper) queryAccount(s module.KVStore, arg string) (uint64, string, error) {
	addr, n, err := accountstypes.ParseAccountArg(arg)
	if err != nil {
		return 0, "", module.ErrBadQuery.Wrapf("%v", err)
	}
	if n != 0 {
		return n, "", nil
	}
	n, _ = k.accounts.AccountNumber(s, addr)
	return n, addr.Hex(), nil
}

// refs resolves account numbers for an answer's "accounts".
func (k *Keeper) refs(s module.KVStore, nums ...uint64) ([]accountstypes.AccountRef, error) {
	return accountstypes.Refs(func(n uint64) (*accountsv1.Account, error) { return k.accounts.Account(s, n) }, nums...)
}

// withAccounts answers a record with the accounts it names appended.
func (k *Keeper) withAccounts(s module.KVStore, record json.RawMessage, key []byte, nums ...uint64) (module.QueryResult, error) {
	refs, err := k.refs(s, nums...)
	if err != nil {
		return module.QueryResult{}, err
	}
	bz, err := accountstypes.WithAccounts(record, refs)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}

func jsonResult(v any, key []byte) (module.QueryResult, error) {
	bz, err := json.Marshal(v)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}
