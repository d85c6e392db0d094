package accounts

import (
	"fmt"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// The v2 migration of this module (upgrade "v2", state version 1 -> 2; the
// app runs it first, before x/projects' and x/credits').
//
// State version 1 (release v0.2.0) keyed accounts by address:
//
//	a/<20B address>                -> Account (with the nonce)
//	r/<role 1B><20B address>       -> empty
//	t/<20B address>                -> RetiredAddress (without the account)
//	v/<32B key>                    -> Validator{operator: address}
//	g/<8B id>                      -> Proposal{proposer, approvals: addresses}
//	x/<8B expires><8B id>          -> empty
//
// The migration gives every account its number, in the order the accounts
// were opened — opened_height, then the address the account was opened
// with (its first key: the oldest previous address if it rotated) for
// accounts opened in the same block, genesis accounts (all opened at the
// initial height) included — so that the numbers read as the registry's
// history. (A chain started by a v2 binary numbers genesis accounts in
// genesis order, which a v1 state does not record; for a genesis listed in
// address order the two agree.) Then, in key order:
//
//   - a/<number> -> Account{number, nonce cleared}; k/<address> ->
//     KeyRef{account, nonce (the v1 account's), PRIMARY}; r/<role><number>
//     -> 0x01; the v1 a/<address> and r/<role><address> keys are deleted;
//   - t/<previous address> gets the account's number (each previous address
//     of each account);
//   - s/account -> the last number;
//   - validators: operator_account from the operator's address, and
//     last_signed_height the upgrade height (a v1 state does not record who
//     signed; the set that brought the chain to its upgrade height counts
//     as live from there, and each validator then stays live while it signs);
//   - proposals: proposer_account and approval_accounts from the addresses
//     (a decided proposal may name a key rotated away since: it resolves
//     through t/); the v1 fields are cleared;
//   - pending-proposal index entries get a non-empty value;
//   - params get liveness_window_blocks (the default, 100).
//
// Organisation records (issue 15) start empty: state version 1 has no
// corporate numbers, departments, details history, delegations or trusted
// recipients, so the cn/, nh/, dg/ and tr/ prefixes hold nothing after the
// migration (and no account restricts its transfers; the delay parameter
// takes its default) and the new Account fields are
// unset (details_version 0). Countries are not re-checked against the ISO
// 3166-1 list: a v1 account keeps the code it was opened with.
//
// Members and thresholds (issue 15) need no step either: state version 1
// has no member keys, policies or pending actions, so mb/, po/, pa/, pe/,
// pi/ and pn/ start empty; every migrated KeyRef is PRIMARY, every account
// has last_member_id 0 (no member yet) and no policy — it acts on one
// signature, as it did — and no retired address is a removed member. The
// lifetime of pending actions takes its default.
//
// The numbering order is found through a temporary index in the store
// (~v2/<8B opened height><20B opening address><20B address>, deleted as it
// is read), and every walk
// reads at most migrateChunk entries at a time: the migration never holds
// the accounts in a Go map, and its result depends on nothing but the state.

// migrateChunk bounds how many entries a migration walk reads at a time.
const migrateChunk = 1024

// v1 layout, read by the migration only.
var (
	v1AddressKeyLen = 2 + common.AddressLength     // a/<20B address>
	v1RoleKeyLen    = 2 + 1 + common.AddressLength // r/<role><20B address>
	v2OrderPrefix   = []byte("~v2/")               // temporary: accounts by opening
)

// MigrateV2 rewrites this module's state from state version 1 to 2.
func (k *Keeper) MigrateV2(ctx module.Context) error {
	st := k.store(ctx.Store)
	if k.LastAccountNumber(ctx.Store) != 0 {
		return fmt.Errorf("accounts: the state already numbers its accounts")
	}
	// 1. The opening order: ~v2/<opened height><address>.
	err := module.Walk(st, types.AccountPrefix, module.PrefixEnd(types.AccountPrefix), migrateChunk, func(key, value []byte) error {
		if len(key) != v1AddressKeyLen {
			return fmt.Errorf("accounts: key %x is not a state-version-1 account key", key)
		}
		var acc accountsv1.Account
		if err := proto.Unmarshal(value, &acc); err != nil {
			return fmt.Errorf("accounts: account %x: %w", key, err)
		}
		first := key[len(types.AccountPrefix):]
		if len(acc.PreviousAddresses) > 0 {
			first = common.HexToAddress(acc.PreviousAddresses[0]).Bytes()
		}
		st.Set(module.Key(v2OrderPrefix, module.Uint64(uint64(acc.OpenedHeight)), first, key[len(types.AccountPrefix):]), module.IndexValue)
		return nil
	})
	if err != nil {
		return err
	}
	// 2. Numbers, in that order.
	var n uint64
	err = module.Walk(st, v2OrderPrefix, module.PrefixEnd(v2OrderPrefix), migrateChunk, func(key, _ []byte) error {
		addr := common.BytesToAddress(key[len(key)-common.AddressLength:])
		st.Delete(key)
		old := module.Key(types.AccountPrefix, addr.Bytes())
		var acc accountsv1.Account
		if err := proto.Unmarshal(st.Get(old), &acc); err != nil {
			return fmt.Errorf("accounts: account %s: %w", addr.Hex(), err)
		}
		if common.HexToAddress(acc.Address) != addr {
			return fmt.Errorf("accounts: the account stored under %s says it is %s", addr.Hex(), acc.Address)
		}
		n++
		nonce := acc.Nonce
		acc.Number, acc.Nonce = n, 0
		for _, r := range acc.Roles {
			st.Delete(module.Key(types.RolePrefix, []byte{byte(r)}, addr.Bytes()))
		}
		st.Delete(old)
		k.Set(ctx.Store, &acc)
		k.setKeyRef(ctx.Store, addr, &accountsv1.KeyRef{Account: n, Nonce: nonce, Kind: accountsv1.KeyKind_KEY_KIND_PRIMARY})
		for _, prev := range acc.PreviousAddresses {
			p := common.HexToAddress(prev)
			r := k.Retired(ctx.Store, p)
			if r == nil {
				return fmt.Errorf("accounts: account %s lists previous address %s, which has no rotation record", addr.Hex(), prev)
			}
			r.Account = n
			st.Set(types.RetiredKey(p), marshal(r))
		}
		return nil
	})
	if err != nil {
		return err
	}
	st.Set(types.LastAccountKey, module.Uint64(n))
	// Role index entries of the v1 layout that no account named (none in a
	// consistent state) must not survive as unreadable keys.
	err = module.Walk(st, types.RolePrefix, module.PrefixEnd(types.RolePrefix), migrateChunk, func(key, _ []byte) error {
		if len(key) == v1RoleKeyLen {
			st.Delete(key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// 3. Retired addresses not listed by any account (none in a consistent
	// state) would keep account 0: refuse rather than guess.
	err = module.Walk(st, types.RetiredPrefix, module.PrefixEnd(types.RetiredPrefix), migrateChunk, func(key, value []byte) error {
		var r accountsv1.RetiredAddress
		if err := proto.Unmarshal(value, &r); err != nil {
			return fmt.Errorf("accounts: retired %x: %w", key, err)
		}
		if r.Account == 0 {
			return fmt.Errorf("accounts: retired address %s belongs to no account's history", r.Address)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// 4. Validators name their operator by number.
	err = module.Walk(st, types.ValidatorPrefix, module.PrefixEnd(types.ValidatorPrefix), migrateChunk, func(key, value []byte) error {
		var v accountsv1.Validator
		if err := proto.Unmarshal(value, &v); err != nil {
			return fmt.Errorf("accounts: validator %x: %w", key, err)
		}
		num, err := k.migrateAddress(ctx.Store, v.Operator, "operator of validator "+v.Address)
		if err != nil {
			return err
		}
		v.OperatorAccount, v.Operator = num, ""
		v.LastSignedHeight = ctx.Height
		st.Set(key, marshal(&v))
		return nil
	})
	if err != nil {
		return err
	}
	// 5. Proposals name their proposer and approvals by number.
	err = module.Walk(st, types.ProposalPrefix, module.PrefixEnd(types.ProposalPrefix), migrateChunk, func(key, value []byte) error {
		var p accountsv1.Proposal
		if err := proto.Unmarshal(value, &p); err != nil {
			return fmt.Errorf("accounts: proposal %x: %w", key, err)
		}
		what := fmt.Sprintf("proposal %d", p.Id)
		proposer, err := k.migrateAddress(ctx.Store, p.Proposer, "proposer of "+what)
		if err != nil {
			return err
		}
		approvals := make([]uint64, 0, len(p.Approvals))
		for _, a := range p.Approvals {
			num, err := k.migrateAddress(ctx.Store, a, "approval of "+what)
			if err != nil {
				return err
			}
			approvals = append(approvals, num)
		}
		sort.Slice(approvals, func(i, j int) bool { return approvals[i] < approvals[j] })
		p.ApprovalAccounts = approvals[:0]
		for i, a := range approvals {
			if i == 0 || a != approvals[i-1] {
				p.ApprovalAccounts = append(p.ApprovalAccounts, a)
			}
		}
		p.ProposerAccount, p.Proposer, p.Approvals = proposer, "", nil
		st.Set(key, marshal(&p))
		return nil
	})
	if err != nil {
		return err
	}
	// 6. Pending-proposal index entries: a value ICS23 can prove next to.
	err = module.Walk(st, types.ExpiryPrefix, module.PrefixEnd(types.ExpiryPrefix), migrateChunk, func(key, _ []byte) error {
		if len(key) != len(types.ExpiryPrefix)+16 {
			return fmt.Errorf("accounts: malformed expiry index key %x", key)
		}
		st.Set(key, module.IndexValue)
		return nil
	})
	if err != nil {
		return err
	}
	// 7. The liveness window the validator-change rules use, as a v2
	// genesis writes it.
	p := &accountsv1.Params{}
	if bz := st.Get(types.ParamsKey); bz != nil {
		if err := proto.Unmarshal(bz, p); err != nil {
			return fmt.Errorf("accounts: params: %w", err)
		}
	}
	if p.LivenessWindowBlocks == 0 {
		p.LivenessWindowBlocks = DefaultLivenessWindowBlocks
	}
	st.Set(types.ParamsKey, marshal(p))
	return nil
}

// migrateAddress resolves an address a v1 record names (a live key or one
// rotated away) to its account number.
func (k *Keeper) migrateAddress(s module.KVStore, address, what string) (uint64, error) {
	addr, err := types.ParseAddress(address)
	if err != nil {
		return 0, fmt.Errorf("accounts: %s: %w", what, err)
	}
	n, ok := k.ResolveAddress(s, addr)
	if !ok {
		return 0, fmt.Errorf("accounts: %s: %s was never an account's key", what, addr.Hex())
	}
	return n, nil
}

// ResolveAddress returns the number of the account addr is a key of, or was
// one before a rotation. The v2 migrations of other modules resolve the
// addresses their v1 records hold with it (history may name keys rotated
// away since).
func (k *Keeper) ResolveAddress(s module.KVStore, addr common.Address) (uint64, bool) {
	return k.resolve(s, addr)
}
