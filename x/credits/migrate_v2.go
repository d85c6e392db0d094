package credits

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The v2 migration of this module (upgrade "v2", state version 1 -> 2; the
// app runs it after x/accounts' and x/projects').
//
// State version 1 (release v0.2.0) named accounts by address:
//
//	r/<batch#><start>                              -> Range{owner: address}
//	o/<20B owner><status><vintage><batch#><start>  -> end
//	t/<retirement id>                              -> Retirement{account, beneficiary_account: addresses}
//	a/<20B account><retirement#>                   -> empty (by retiring account; a
//	                                                  rotation added the new key's entries)
//	e/<20B account><retirement#>                   -> empty (by beneficiary account)
//	n/…, y/…, u/…                                  -> empty
//	c/<cancellation id>                            -> Cancellation{ministry: address}
//
// In key order: every range gets owner_account (the v1 address cleared) and
// its owner index entry moves to o/<8B account#>…; the v1 retirement
// account indexes are deleted; every retirement gets account_number and
// beneficiary_account_number and is indexed again by number (and by name,
// fiscal year and use, now with non-empty values); every cancellation gets
// ministry_account. The addresses that signed stay in the records, as
// history. Batches need nothing: locked is 0 until locks exist. resolve maps
// an address — a live key or one rotated away — to its account.

// migrateChunk bounds how many entries a migration walk reads at a time.
const migrateChunk = 1024

// v1 key lengths under StorePrefix, read by the migration only.
var (
	v1OwnerKeyLen           = 2 + common.AddressLength + 1 + 8 + 8 + 8
	v1RetirementIndexKeyLen = 2 + common.AddressLength + 8
)

// MigrateV2 rewrites this module's state from state version 1 to 2.
func (k *Keeper) MigrateV2(ctx module.Context, resolve func(module.KVStore, common.Address) (uint64, bool)) error {
	st := store(ctx.Store)
	number := func(address, what string) (uint64, error) {
		addr, ok := parseAddress(address)
		if !ok {
			return 0, fmt.Errorf("credits: %s: %q is not an address", what, address)
		}
		n, ok := resolve(ctx.Store, addr)
		if !ok {
			return 0, fmt.Errorf("credits: %s: %s is no account's key", what, addr.Hex())
		}
		return n, nil
	}

	// 1. Ranges and the owner index, batch by batch.
	var b *creditsv1.Batch
	err := module.Walk(st, types.RangePrefix, module.PrefixEnd(types.RangePrefix), migrateChunk, func(key, value []byte) error {
		if len(key) != len(types.RangePrefix)+16 {
			return fmt.Errorf("credits: malformed range key %x", key)
		}
		batch := binary.BigEndian.Uint64(key[len(types.RangePrefix):])
		start := binary.BigEndian.Uint64(key[len(types.RangePrefix)+8:])
		if b == nil || b.Number != batch {
			var err error
			if b, err = getBatch(st, batch); err != nil {
				return err
			}
			if b == nil {
				return fmt.Errorf("credits: range %d/%d of a missing batch", batch, start)
			}
		}
		r, err := decodeRange(value, batch, start)
		if err != nil {
			return err
		}
		owner, err := number(r.Owner, fmt.Sprintf("owner of range %s %d-%d", b.Id, r.Start, r.End))
		if err != nil {
			return err
		}
		st.Delete(module.Key(types.OwnerPrefix, common.HexToAddress(r.Owner).Bytes(), []byte{byte(r.Status)},
			types.VintageKey(b.VintageStart), module.Uint64(b.Number), module.Uint64(r.Start)))
		r.OwnerAccount, r.Owner = owner, ""
		putRange(st, b, r)
		return nil
	})
	if err != nil {
		return err
	}
	// 2. The v1 account indexes of retirements (and owner index entries no
	// range named, none in a consistent state), deleted by their length.
	for _, old := range []struct {
		prefix []byte
		length int
	}{{types.OwnerPrefix, v1OwnerKeyLen}, {types.ByAccountPrefix, v1RetirementIndexKeyLen}, {types.ByBenefAcctPrefix, v1RetirementIndexKeyLen}} {
		err := module.Walk(st, old.prefix, module.PrefixEnd(old.prefix), migrateChunk, func(key, _ []byte) error {
			if len(key) == old.length {
				st.Delete(key)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// 3. Retirement records, numbered and indexed by account number.
	err = module.Walk(st, types.RetirementPrefix, module.PrefixEnd(types.RetirementPrefix), migrateChunk, func(key, value []byte) error {
		r := &creditsv1.Retirement{}
		if err := proto.Unmarshal(value, r); err != nil {
			return fmt.Errorf("credits: retirement %q: %w", key, err)
		}
		seq, ok := types.ParseRetirementID(r.Id)
		if !ok || string(key[len(types.RetirementPrefix):]) != r.Id {
			return fmt.Errorf("credits: retirement record %q stored under %q", r.Id, key)
		}
		n, err := number(r.Account, "account of "+r.Id)
		if err != nil {
			return err
		}
		r.AccountNumber = n
		if r.BeneficiaryAccount != "" {
			// v1 accepted any address here; one that is no account's
			// key keeps number 0 and stays named by its address.
			if addr, ok := parseAddress(r.BeneficiaryAccount); ok {
				r.BeneficiaryAccountNumber, _ = resolve(ctx.Store, addr)
			}
		}
		saveRetirement(st, r, seq)
		return nil
	})
	if err != nil {
		return err
	}
	// 4. Cancellation records.
	return module.Walk(st, types.CancellationPrefix, module.PrefixEnd(types.CancellationPrefix), migrateChunk, func(key, value []byte) error {
		c := &creditsv1.Cancellation{}
		if err := proto.Unmarshal(value, c); err != nil {
			return fmt.Errorf("credits: cancellation %q: %w", key, err)
		}
		n, err := number(c.Ministry, "ministry of "+c.Id)
		if err != nil {
			return err
		}
		c.MinistryAccount = n
		st.Set(key, marshal(c))
		return nil
	})
}
