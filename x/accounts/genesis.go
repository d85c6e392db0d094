package accounts

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// genesisValidator is one of CometBFT's genesis validators as InitChain
// reports it.
type genesisValidator struct {
	typ   string
	key   []byte
	power int64
}

// SetGenesisValidators implements module.GenesisValidatorsSetter: the app
// hands over InitChain's validators (those of genesis.json) before calling
// InitGenesis, which checks that app_state.accounts.validators names exactly
// the same keys with the same powers, so that the registry's record of who
// operates which node matches what CometBFT runs.
func (k *Keeper) SetGenesisValidators(vals []abci.ValidatorUpdate) {
	k.genesisValidators = make([]genesisValidator, 0, len(vals))
	for _, v := range vals {
		k.genesisValidators = append(k.genesisValidators, genesisValidator{
			typ: v.PubKeyType, key: append([]byte(nil), v.PubKeyBytes...), power: v.Power,
		})
	}
}

// ValidateGenesis checks a genesis state and normalises it in place
// (checksummed addresses, sorted roles, default parameters, validator
// addresses). Errors name the offending entry.
func ValidateGenesis(g *accountsv1.GenesisState) error {
	seen := map[common.Address]*accountsv1.Account{}
	ministries := 0
	secretariat := false
	for i, acc := range g.Accounts {
		addr, err := types.ParseAddress(acc.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("accounts[%d]: %v", i, err)
		}
		if seen[addr] != nil {
			return ErrInvalidGenesis.Wrapf("account %s appears twice", addr.Hex())
		}
		seen[addr] = acc
		acc.Address = addr.Hex()
		if err := validateFields(acc.LegalName, acc.EntityKind, acc.Country); err != nil {
			return ErrInvalidGenesis.Wrapf("account %s: %v", addr.Hex(), err)
		}
		if err := validateOrganisation(acc.EntityKind, acc.Country, acc.CorporateNumber, acc.RegistrationNumber, acc.PostalAddress, acc.Department); err != nil {
			return ErrInvalidGenesis.Wrapf("account %s: %v", addr.Hex(), err)
		}
		roles, err := normalizeRoles(acc.Roles)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("account %s: %v", addr.Hex(), err)
		}
		acc.Roles = roles
		if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_UNSPECIFIED {
			acc.Status = accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
		}
		if _, ok := accountsv1.AccountStatus_name[int32(acc.Status)]; !ok {
			return ErrInvalidGenesis.Wrapf("account %s: unknown status %d", addr.Hex(), acc.Status)
		}
		if len(acc.PreviousAddresses) > 0 && len(g.RetiredAddresses) == 0 {
			return ErrInvalidGenesis.Wrapf("account %s: previous_addresses need their rotation records (retired_addresses, as an export has)", addr.Hex())
		}
		// Numbers follow genesis order; a genesis may spell them out (an
		// export does), but then they must be exactly that order.
		if acc.Number != 0 && acc.Number != uint64(i+1) {
			return ErrInvalidGenesis.Wrapf("account %s: number %d must be its position in the list, %d (or left out)", addr.Hex(), acc.Number, i+1)
		}
		acc.Number = uint64(i + 1)
		active := acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
		if hasRole(acc, accountsv1.Role_ROLE_MINISTRY) && active {
			ministries++
		}
		if hasRole(acc, accountsv1.Role_ROLE_SECRETARIAT) && active {
			secretariat = true
		}
	}
	// An export (it lists the keys) is a state the chain reached: its
	// secretariat may be suspended, a validator's operator suspended or
	// without an operator role since; those checks are for a new chain.
	exported := len(g.Keys) > 0
	if len(g.Accounts) > 0 && !secretariat && !exported {
		return ErrInvalidGenesis.Wrapf("no active account has the secretariat role, so no account could ever be opened")
	}
	if g.MinistryQuorum == 0 {
		g.MinistryQuorum = DefaultMinistryQuorum
		if ministries < DefaultMinistryQuorum {
			g.MinistryQuorum = uint32(ministries)
		}
	}
	if err := validateDetailsHistory(g); err != nil {
		return err
	}
	if err := validateDelegations(g); err != nil {
		return err
	}
	if err := validateTrusted(g); err != nil {
		return err
	}
	if err := validateMembersGenesis(g); err != nil {
		return err
	}
	if int(g.MinistryQuorum) > ministries && ministries > 0 && !exported {
		return ErrInvalidGenesis.Wrapf("ministry_quorum %d exceeds the %d active ministry accounts", g.MinistryQuorum, ministries)
	}
	if g.ProposalTtlBlocks == 0 {
		g.ProposalTtlBlocks = DefaultProposalTTLBlocks
	}
	if g.LivenessWindowBlocks == 0 {
		g.LivenessWindowBlocks = DefaultLivenessWindowBlocks
	}

	keys := map[string]bool{}
	for i, v := range g.Validators {
		where := fmt.Sprintf("validators[%d]", i)
		if v.Name != "" {
			where += fmt.Sprintf(" (%s)", v.Name)
		}
		if err := checkPubKey(v.PubKeyType, v.PubKey); err != nil {
			return ErrInvalidGenesis.Wrapf("%s: %v", where, err)
		}
		v.PubKeyType = PubKeyTypeEd25519
		if keys[string(v.PubKey)] {
			return ErrInvalidGenesis.Wrapf("%s: key %s appears twice", where, base64.StdEncoding.EncodeToString(v.PubKey))
		}
		keys[string(v.PubKey)] = true
		if err := checkPower(v.Power); err != nil {
			return ErrInvalidGenesis.Wrapf("%s: %v", where, err)
		}
		if len(v.Name) > MaxValidatorNameBytes {
			return ErrInvalidGenesis.Wrapf("%s: name is longer than %d bytes", where, MaxValidatorNameBytes)
		}
		op, err := types.ParseAddress(v.Operator)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("%s: operator: %v", where, err)
		}
		acc := seen[op]
		if acc == nil {
			return ErrInvalidGenesis.Wrapf("%s: operator %s is not among the genesis accounts", where, op.Hex())
		}
		if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE && !exported {
			return ErrInvalidGenesis.Wrapf("%s: operator %s is %s", where, op.Hex(), acc.Status)
		}
		eligible := false
		for _, r := range validatorOperatorRoles {
			eligible = eligible || hasRole(acc, r)
		}
		if !eligible && !exported {
			return ErrInvalidGenesis.Wrapf("%s: operator %s must hold the ministry, secretariat or provider role", where, op.Hex())
		}
		v.Operator = op.Hex()
		v.Address = ValidatorAddress(v.PubKey)
		// since_height is kept: 0 in a hand-written genesis, the height
		// the validator joined in an export.
	}
	return validateExported(g, seen)
}

// matchCometValidators checks that the genesis validators CometBFT reported
// are exactly those app_state names, with the same powers.
func matchCometValidators(comet []genesisValidator, ours []*accountsv1.Validator) error {
	byKey := map[string]*accountsv1.Validator{}
	for _, v := range ours {
		byKey[string(v.PubKey)] = v
	}
	var problems []string
	matched := map[string]bool{}
	for _, c := range comet {
		b64 := base64.StdEncoding.EncodeToString(c.key)
		if c.typ != PubKeyTypeEd25519 {
			problems = append(problems, fmt.Sprintf("genesis.json validator %s has key type %q; only %q is supported", b64, c.typ, PubKeyTypeEd25519))
			continue
		}
		v := byKey[string(c.key)]
		switch {
		case v == nil:
			problems = append(problems, fmt.Sprintf("genesis.json validator %s (power %d) is missing from app_state.accounts.validators, which must name its operator", b64, c.power))
		case v.Power != c.power:
			problems = append(problems, fmt.Sprintf("validator %s has power %d in genesis.json but %d in app_state.accounts.validators", b64, c.power, v.Power))
		}
		matched[string(c.key)] = true
	}
	for _, v := range ours {
		if !matched[string(v.PubKey)] {
			problems = append(problems, fmt.Sprintf("app_state.accounts.validators lists %s (%s) but genesis.json's validators do not", base64.StdEncoding.EncodeToString(v.PubKey), v.Name))
		}
	}
	if len(problems) > 0 {
		return ErrInvalidGenesis.Wrapf("validator set mismatch: %s", strings.Join(problems, "; "))
	}
	return nil
}

// InitGenesis loads accounts, parameters and the validator set from the
// genesis app_state.
func (k *Keeper) InitGenesis(ctx module.Context, raw json.RawMessage) error {
	g := &accountsv1.GenesisState{}
	if len(raw) > 0 {
		if err := protojson.Unmarshal(raw, g); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
	}
	if err := ValidateGenesis(g); err != nil {
		return err
	}
	if k.genesisValidators != nil {
		err := matchCometValidators(k.genesisValidators, g.Validators)
		k.genesisValidators = nil
		if err != nil {
			return err
		}
	}
	if k.LastAccountNumber(ctx.Store) != 0 {
		return ErrInvalidGenesis.Wrapf("the state already holds accounts")
	}
	numbers := map[string]uint64{}
	for _, acc := range g.Accounts {
		if acc.OpenedTime == nil && acc.OpenedHeight == 0 {
			acc.OpenedHeight = ctx.Height
		}
		// A genesis nonce (a chain moved from elsewhere) belongs to the
		// account's key.
		nonce := acc.Nonce // deprecated in state, still read from genesis
		acc.Nonce = 0
		k.create(ctx.Store, acc, nonce)
		numbers[acc.Address] = acc.Number
	}
	for _, d := range g.DetailsHistory {
		k.setDetailsHistory(ctx.Store, d)
	}
	for _, d := range g.Delegations {
		k.setDelegation(ctx.Store, d)
	}
	for _, tr := range g.TrustedRecipients {
		k.setTrusted(ctx.Store, tr)
	}
	k.setParams(ctx.Store, &accountsv1.Params{MinistryQuorum: g.MinistryQuorum, ProposalTtlBlocks: g.ProposalTtlBlocks, LivenessWindowBlocks: g.LivenessWindowBlocks,
		GxEtsCapPercent: g.GxEtsCapPercent, TrustedRecipientDelayBlocks: g.TrustedRecipientDelayBlocks,
		PendingActionTtlBlocks: g.PendingActionTtlBlocks})
	if err := k.initGxGenesis(ctx, g, numbers); err != nil {
		return err
	}
	for _, v := range g.Validators {
		v.OperatorAccount, v.Operator = numbers[v.Operator], ""
		// A fresh genesis set is trusted: each counts as having signed at
		// the initial height and stays live while it signs. An export
		// (it lists the keys) continues the same chain at H+1, so its
		// heights stand and each validator keeps its record, unproven
		// ones (0) included.
		if len(g.Keys) == 0 {
			v.LastSignedHeight = ctx.Height
		}
		k.putValidator(ctx.Store, v, false) // CometBFT already runs the genesis set
	}
	k.initExported(ctx.Store, g)
	return k.initMembers(ctx.Store, g)
}

// validateDetailsHistory checks the replaced details of a genesis (an
// export's): each names a genesis account by number, whose versions run
// 1..details_version in order, each beginning where the one before ended.
func validateDetailsHistory(g *accountsv1.GenesisState) error {
	next := map[uint64]uint64{}
	until := map[uint64]int64{}
	for i, d := range g.DetailsHistory {
		if d.Account == 0 || d.Account > uint64(len(g.Accounts)) {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: account %d is not among the %d genesis accounts", i, d.Account, len(g.Accounts))
		}
		acc := g.Accounts[d.Account-1]
		want := next[d.Account] + 1
		if d.Version != want || d.Version > acc.DetailsVersion {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: account %d version %d: want version %d of %d (versions run from 1 to the account's details_version, in order)", i, d.Account, d.Version, want, acc.DetailsVersion)
		}
		if d.Version > 1 && d.FromHeight != until[d.Account] {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: account %d version %d starts at height %d, not where version %d ended (%d)", i, d.Account, d.Version, d.FromHeight, d.Version-1, until[d.Account])
		}
		if d.UntilHeight < d.FromHeight {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: ends (%d) before it starts (%d)", i, d.UntilHeight, d.FromHeight)
		}
		if p := module.TextProblem(d.LegalName, 256, true); p != "" {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: legal name %s", i, p)
		}
		if err := validateDetails(d.PostalAddress, d.Department); err != nil {
			return ErrInvalidGenesis.Wrapf("details_history[%d]: %v", i, err)
		}
		next[d.Account], until[d.Account] = d.Version, d.UntilHeight
	}
	for i, acc := range g.Accounts {
		if next[uint64(i+1)] != acc.DetailsVersion {
			return ErrInvalidGenesis.Wrapf("account %s: details_version is %d but details_history holds %d of its versions", acc.Address, acc.DetailsVersion, next[uint64(i+1)])
		}
	}
	return nil
}

// validateDelegations checks a genesis's delegations: between two distinct
// genesis accounts, in key order (grantor, then agent), each once, with
// known actions and no more used than allowed.
func validateDelegations(g *accountsv1.GenesisState) error {
	n := uint64(len(g.Accounts))
	for i, d := range g.Delegations {
		if d.Grantor == 0 || d.Grantor > n || d.Agent == 0 || d.Agent > n || d.Grantor == d.Agent {
			return ErrInvalidGenesis.Wrapf("delegations[%d]: grantor %d and agent %d must be two of the %d genesis accounts", i, d.Grantor, d.Agent, n)
		}
		if i > 0 {
			p := g.Delegations[i-1]
			if p.Grantor > d.Grantor || (p.Grantor == d.Grantor && p.Agent >= d.Agent) {
				return ErrInvalidGenesis.Wrapf("delegations[%d]: list delegations by grantor then agent, each once", i)
			}
		}
		acts, err := normalizeActions(d.Actions)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("delegations[%d]: %v", i, err)
		}
		d.Actions = acts
		if d.UsedQuantity > d.MaxQuantity || d.ExpiresHeight <= 0 {
			return ErrInvalidGenesis.Wrapf("delegations[%d]: used %d of %d, expires at %d", i, d.UsedQuantity, d.MaxQuantity, d.ExpiresHeight)
		}
	}
	return nil
}

// validateTrusted checks a genesis's trusted recipients: between two
// distinct genesis accounts, by account then recipient, each once.
func validateTrusted(g *accountsv1.GenesisState) error {
	n := uint64(len(g.Accounts))
	for i, tr := range g.TrustedRecipients {
		if tr.Account == 0 || tr.Account > n || tr.Recipient == 0 || tr.Recipient > n || tr.Account == tr.Recipient {
			return ErrInvalidGenesis.Wrapf("trusted_recipients[%d]: account %d and recipient %d must be two of the %d genesis accounts", i, tr.Account, tr.Recipient, n)
		}
		if i > 0 {
			p := g.TrustedRecipients[i-1]
			if p.Account > tr.Account || (p.Account == tr.Account && p.Recipient >= tr.Recipient) {
				return ErrInvalidGenesis.Wrapf("trusted_recipients[%d]: list them by account then recipient, each once", i)
			}
		}
		if tr.EffectiveHeight < tr.AddedHeight {
			return ErrInvalidGenesis.Wrapf("trusted_recipients[%d]: effective before it was added", i)
		}
	}
	return nil
}

// ExportOrganisations fills g's details_history, delegations, trusted
// recipients and their delay, members, threshold policies and pending
// actions from
// state: every replaced version of every account's details, by account
// then version (the key order of nh/), and every delegation, by grantor
// then agent (dg/). The accounts themselves carry their corporate numbers;
// the cn/ index is rebuilt from them by InitGenesis. The whole-state
// export (issue 17) calls it for the accounts module's part.
func (k *Keeper) ExportOrganisations(s module.KVStore, g *accountsv1.GenesisState) error {
	err := module.Walk(k.store(s), types.DelegationPrefix, module.PrefixEnd(types.DelegationPrefix), migrateChunk, func(_, value []byte) error {
		d := &accountsv1.Delegation{}
		if err := proto.Unmarshal(value, d); err != nil {
			return module.ErrInternal.Wrapf("delegation: %v", err)
		}
		g.Delegations = append(g.Delegations, d)
		return nil
	})
	if err != nil {
		return err
	}
	// The delay as stored (0: the default), so that the imported state's
	// parameters are the same bytes.
	if bz := k.store(s).Get(types.ParamsKey); bz != nil {
		p := &accountsv1.Params{}
		if err := proto.Unmarshal(bz, p); err != nil {
			return module.ErrInternal.Wrapf("params: %v", err)
		}
		g.TrustedRecipientDelayBlocks = p.TrustedRecipientDelayBlocks
	}
	err = module.Walk(k.store(s), types.TrustedPrefix, module.PrefixEnd(types.TrustedPrefix), migrateChunk, func(_, value []byte) error {
		tr := &accountsv1.TrustedRecipient{}
		if err := proto.Unmarshal(value, tr); err != nil {
			return module.ErrInternal.Wrapf("trusted recipient: %v", err)
		}
		g.TrustedRecipients = append(g.TrustedRecipients, tr)
		return nil
	})
	if err != nil {
		return err
	}
	err = module.Walk(k.store(s), types.DetailsHistoryPrefix, module.PrefixEnd(types.DetailsHistoryPrefix), migrateChunk, func(_, value []byte) error {
		d := &accountsv1.AccountDetails{}
		if err := proto.Unmarshal(value, d); err != nil {
			return module.ErrInternal.Wrapf("details history: %v", err)
		}
		g.DetailsHistory = append(g.DetailsHistory, d)
		return nil
	})
	if err != nil {
		return err
	}
	// Members, threshold policies and pending actions (genesis_members.go).
	return k.exportMembers(s, g)
}
