package accounts

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// ExportGenesis implements module.Module: every account (in number order,
// with its status, roles, heights and previous addresses), every signing
// key with its nonce, every rotated-away address, the parameters, the
// validators with their operators, and every proposal whatever its status,
// with the next proposal id. The role index and the expiry index of pending
// proposals are rebuilt from the records by InitGenesis; the per-block
// validator-update marks (u/) are empty between blocks and not exported.
// Organisation records (details history, delegations) come from
// ExportOrganisations; the corporate-number index is rebuilt.
func (k *Keeper) ExportGenesis(s module.KVStore) (json.RawMessage, error) {
	st := k.store(s)
	g := &accountsv1.GenesisState{}
	p := k.Params(s)
	g.MinistryQuorum, g.ProposalTtlBlocks, g.LivenessWindowBlocks = p.MinistryQuorum, p.ProposalTtlBlocks, p.LivenessWindowBlocks
	numbers := map[uint64]string{}
	err := module.Records(st, types.AccountPrefix, func(_, v []byte) error {
		acc := &accountsv1.Account{}
		if err := proto.Unmarshal(v, acc); err != nil {
			return fmt.Errorf("account: %w", err)
		}
		numbers[acc.Number] = acc.Address
		g.Accounts = append(g.Accounts, acc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Records(st, types.KeyRefPrefix, func(key, v []byte) error {
		ref := &accountsv1.KeyRef{}
		if err := proto.Unmarshal(v, ref); err != nil {
			return fmt.Errorf("key %x: %w", key, err)
		}
		g.Keys = append(g.Keys, &accountsv1.GenesisKey{Address: common.BytesToAddress(key).Hex(), Ref: ref})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Records(st, types.RetiredPrefix, func(key, v []byte) error {
		r := &accountsv1.RetiredAddress{}
		if err := proto.Unmarshal(v, r); err != nil {
			return fmt.Errorf("retired address %x: %w", key, err)
		}
		g.RetiredAddresses = append(g.RetiredAddresses, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, v := range k.Validators(s) {
		// The genesis names operators by address (the current key of the
		// operating account), as a hand-written genesis does.
		op, ok := numbers[v.OperatorAccount]
		if !ok {
			return nil, fmt.Errorf("validator %s: operator account %d does not exist", v.Address, v.OperatorAccount)
		}
		v.Operator, v.OperatorAccount = op, 0
		g.Validators = append(g.Validators, v)
	}
	err = module.Records(st, types.ProposalPrefix, func(key, v []byte) error {
		pr := &accountsv1.Proposal{}
		if err := proto.Unmarshal(v, pr); err != nil {
			return fmt.Errorf("proposal %x: %w", key, err)
		}
		g.Proposals = append(g.Proposals, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bz := st.Get(types.NextProposalKey); len(bz) == 8 {
		g.NextProposalId = binary.BigEndian.Uint64(bz)
	}
	// GX-ETS: the cap share, the operators and their verified emissions.
	g.GxEtsCapPercent = p.GxEtsCapPercent
	err = module.Records(st, types.GxOperatorPrefix, func(key, v []byte) error {
		o := &accountsv1.GxOperator{}
		if err := proto.Unmarshal(v, o); err != nil {
			return fmt.Errorf("GX-ETS operator %x: %w", key, err)
		}
		g.GxOperators = append(g.GxOperators, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Records(st, types.GxEmissionsPrefix, func(key, v []byte) error {
		e := &accountsv1.GxEmissions{}
		if err := proto.Unmarshal(v, e); err != nil {
			return fmt.Errorf("GX-ETS emissions %x: %w", key, err)
		}
		g.GxEmissions = append(g.GxEmissions, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Organisations: replaced account details and delegations (the cn/
	// index is rebuilt from the accounts' corporate numbers).
	if err := k.ExportOrganisations(s, g); err != nil {
		return nil, err
	}
	return module.MarshalGenesis(g)
}

// validateExported checks the parts of a genesis only an export carries
// (retired addresses, keys, proposals) against its accounts, given by
// address (normalised by ValidateGenesis).
func validateExported(g *accountsv1.GenesisState, byAddr map[common.Address]*accountsv1.Account) error {
	retired := map[common.Address]*accountsv1.RetiredAddress{}
	for i, r := range g.RetiredAddresses {
		addr, err := types.ParseAddress(r.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("retired_addresses[%d]: %v", i, err)
		}
		if retired[addr] != nil || byAddr[addr] != nil {
			return ErrInvalidGenesis.Wrapf("retired address %s is listed twice or is an account's current key", addr.Hex())
		}
		if r.Account == 0 || r.Account > uint64(len(g.Accounts)) {
			return ErrInvalidGenesis.Wrapf("retired address %s: account %d does not exist", addr.Hex(), r.Account)
		}
		retired[addr] = r
	}
	for _, acc := range g.Accounts {
		for _, prev := range acc.PreviousAddresses {
			p, err := types.ParseAddress(prev)
			if err != nil || retired[p] == nil || retired[p].Account != acc.Number {
				return ErrInvalidGenesis.Wrapf("account %s: previous address %s has no rotation record of this account in retired_addresses", acc.Address, prev)
			}
		}
	}
	keys := map[common.Address]bool{}
	for i, key := range g.Keys {
		addr, err := types.ParseAddress(key.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("keys[%d]: %v", i, err)
		}
		if keys[addr] || retired[addr] != nil || key.Ref == nil || key.Ref.Account == 0 || key.Ref.Account > uint64(len(g.Accounts)) {
			return ErrInvalidGenesis.Wrapf("key %s: listed twice, rotated away, or of no account", addr.Hex())
		}
		keys[addr] = true
	}
	for _, acc := range g.Accounts {
		addr := common.HexToAddress(acc.Address)
		if len(g.Keys) > 0 && !keys[addr] {
			return ErrInvalidGenesis.Wrapf("account %s: its key is missing from keys", acc.Address)
		}
	}
	ids := map[uint64]bool{}
	var last uint64
	for _, p := range g.Proposals {
		if p.Id == 0 || ids[p.Id] {
			return ErrInvalidGenesis.Wrapf("proposal id %d is 0 or repeated", p.Id)
		}
		ids[p.Id] = true
		last = max(last, p.Id)
		if _, ok := accountsv1.ProposalStatus_name[int32(p.Status)]; !ok || p.Status == accountsv1.ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED {
			return ErrInvalidGenesis.Wrapf("proposal %d: status %d", p.Id, p.Status)
		}
	}
	if g.NextProposalId != 0 && g.NextProposalId <= last {
		return ErrInvalidGenesis.Wrapf("next_proposal_id %d must exceed the highest proposal id, %d", g.NextProposalId, last)
	}
	return nil
}

// initExported writes the parts only an export carries (after the
// accounts): keys with their nonces, rotated addresses, proposals with the
// expiry index of pending ones, and the proposal sequence.
func (k *Keeper) initExported(s module.KVStore, g *accountsv1.GenesisState) {
	st := k.store(s)
	for _, key := range g.Keys {
		k.setKeyRef(s, common.HexToAddress(key.Address), key.Ref)
	}
	for _, r := range g.RetiredAddresses {
		st.Set(types.RetiredKey(common.HexToAddress(r.Address)), marshal(r))
	}
	var last uint64
	for _, p := range g.Proposals {
		k.setProposal(s, p)
		if p.Status == accountsv1.ProposalStatus_PROPOSAL_STATUS_PENDING {
			st.Set(types.ExpiryKey(p.ExpiresHeight, p.Id), module.IndexValue)
		}
		last = max(last, p.Id)
	}
	if g.NextProposalId != 0 {
		st.Set(types.NextProposalKey, module.Uint64(g.NextProposalId))
	} else if last != 0 {
		st.Set(types.NextProposalKey, module.Uint64(last+1))
	}
}

// ExportValidators implements module.GenesisValidatorsExporter: the
// registry's validators (key order), as genesis.json's validators.
func (k *Keeper) ExportValidators(s module.KVStore) ([]abci.ValidatorUpdate, error) {
	var out []abci.ValidatorUpdate
	for _, v := range k.Validators(s) {
		out = append(out, abci.ValidatorUpdate{PubKeyType: v.PubKeyType, PubKeyBytes: v.PubKey, Power: v.Power})
	}
	return out, nil
}
