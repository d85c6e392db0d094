package credits

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Keeper is the credits module. It holds no state of its own: every method
// works on the store in the context it is given.
type Keeper struct {
	accounts AccountKeeper
}

// NewKeeper wires credits to the accounts module.
func NewKeeper(accounts AccountKeeper) *Keeper {
	return &Keeper{accounts: accounts}
}

// who returns a function naming accounts for error messages, reading s.
func (k *Keeper) who(s module.KVStore) func(uint64) string {
	return func(n uint64) string { return k.accounts.Describe(s, n) }
}

// addressOf is account n's current address ("" if there is no such
// account), for events.
func (k *Keeper) addressOf(s module.KVStore, n uint64) string {
	acc, err := k.accounts.Account(s, n)
	if err != nil || acc == nil {
		return ""
	}
	return acc.Address
}

// accountOf resolves an address a message names to its account number;
// what names the field in the error.
func (k *Keeper) accountOf(s module.KVStore, addr common.Address, what string) (uint64, error) {
	n, ok := k.accounts.AccountNumber(s, addr)
	if !ok {
		if moved, ok := k.accounts.ResolveAddress(s, addr); ok {
			return 0, ErrRecipientInactive.Wrapf("%s %s is a key its account rotated away; that account (%s) now signs with %s: name that address", what, addr.Hex(), k.legalName(s, moved), k.addressOf(s, moved))
		}
		return 0, ErrRecipientInactive.Wrapf("%s %s is no account's key; credits can go only to open, active accounts", what, addr.Hex())
	}
	return n, nil
}

// store narrows the whole state to the module's keys.
func store(s module.KVStore) module.KVStore { return module.Prefix(s, StorePrefix) }

// marshal encodes state deterministically.
func marshal(m proto.Message) []byte {
	bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err) // only on a malformed message built by our own code
	}
	return bz
}

// nextSeq increments and returns the sequence name (the first is 1).
func nextSeq(st module.KVStore, name string) uint64 {
	n := readSeq(st, name) + 1
	st.Set(types.SeqKey(name), module.Uint64(n))
	return n
}

func readSeq(st module.KVStore, name string) uint64 {
	bz := st.Get(types.SeqKey(name))
	if len(bz) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(bz)
}

// getBatch reads batch number n from the module store (nil if absent).
func getBatch(st module.KVStore, n uint64) (*creditsv1.Batch, error) {
	bz := st.Get(types.BatchKey(n))
	if bz == nil {
		return nil, nil
	}
	b := &creditsv1.Batch{}
	if err := proto.Unmarshal(bz, b); err != nil {
		return nil, module.ErrInternal.Wrapf("batch %d: %v", n, err)
	}
	return b, nil
}

func setBatch(st module.KVStore, b *creditsv1.Batch) { st.Set(types.BatchKey(b.Number), marshal(b)) }

// GetBatch returns the batch with id ("JC-00000001") from the whole state.
func (k *Keeper) GetBatch(s module.KVStore, id string) (*creditsv1.Batch, error) {
	n, err := types.ParseBatchID(id)
	if err != nil {
		return nil, err
	}
	b, err := getBatch(store(s), n)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, ErrUnknownBatch.Wrapf("no batch %s", id)
	}
	return b, nil
}

// getRetirement reads a retirement record (nil if absent).
func getRetirement(st module.KVStore, id string) (*creditsv1.Retirement, error) {
	return decodeRetirement(id, st.Get(types.RetirementKey(id)))
}

// decodeRetirement decodes the record id stored as bz (nil: none).
func decodeRetirement(id string, bz []byte) (*creditsv1.Retirement, error) {
	if bz == nil {
		return nil, nil
	}
	r := &creditsv1.Retirement{}
	if err := proto.Unmarshal(bz, r); err != nil {
		return nil, module.ErrInternal.Wrapf("retirement %s: %v", id, err)
	}
	return r, nil
}

func getCancellation(st module.KVStore, id string) (*creditsv1.Cancellation, error) {
	bz := st.Get(types.CancellationKey(id))
	if bz == nil {
		return nil, nil
	}
	c := &creditsv1.Cancellation{}
	if err := proto.Unmarshal(bz, c); err != nil {
		return nil, module.ErrInternal.Wrapf("cancellation %s: %v", id, err)
	}
	return c, nil
}

// parseAddress is accountstypes.ParseAddress, the registry's one address
// parser, for call sites that report a failure in their own words.
func parseAddress(s string) (common.Address, bool) {
	a, err := accountstypes.ParseAddress(s)
	return a, err == nil
}
