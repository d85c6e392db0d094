package accounts

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/api/cometbft/types/v1"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// PubKeyTypeEd25519 is CometBFT's name for ed25519 consensus keys, the only
// kind the registry's validators use.
const PubKeyTypeEd25519 = ed25519.KeyType

// MaxValidatorPower bounds one validator's voting power; CometBFT's own
// bound on the total (MaxInt64/8) is then out of reach.
const MaxValidatorPower = 1_000_000

// MaxValidatorNameBytes bounds a validator's label.
const MaxValidatorNameBytes = 64

// validatorOperatorRoles are the roles whose holders run validator nodes:
// the ministries, the secretariat and registered providers.
var validatorOperatorRoles = []accountsv1.Role{
	accountsv1.Role_ROLE_MINISTRY, accountsv1.Role_ROLE_SECRETARIAT, accountsv1.Role_ROLE_PROVIDER,
}

// checkPubKey accepts an ed25519 key ("" means ed25519) and rejects any
// other type, since CometBFT would reject the update and halt the chain.
func checkPubKey(typ string, key []byte) error {
	if typ != "" && typ != PubKeyTypeEd25519 {
		return ErrInvalidValidator.Wrapf("key type %q is not supported; validators use %q consensus keys", typ, PubKeyTypeEd25519)
	}
	if len(key) != ed25519.PubKeySize {
		return ErrInvalidValidator.Wrapf("an ed25519 public key is %d bytes, got %d", ed25519.PubKeySize, len(key))
	}
	return nil
}

func checkPower(p int64) error {
	if p <= 0 || p > MaxValidatorPower {
		return ErrInvalidValidator.Wrapf("power %d must be between 1 and %d", p, MaxValidatorPower)
	}
	return nil
}

// ValidatorAddress is CometBFT's address of an ed25519 consensus key, as it
// appears in commit signatures and `cometbft show-validator`.
func ValidatorAddress(pubKey []byte) string {
	return strings.ToUpper(hex.EncodeToString(ed25519.PubKey(pubKey).Address()))
}

// GetValidator returns the validator with pubKey, or nil.
func (k *Keeper) GetValidator(s module.KVStore, pubKey []byte) *accountsv1.Validator {
	bz := k.store(s).Get(types.ValidatorKey(pubKey))
	if bz == nil {
		return nil
	}
	var v accountsv1.Validator
	if err := proto.Unmarshal(bz, &v); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return &v
}

// Validators returns the current validator set in key order.
func (k *Keeper) Validators(s module.KVStore) []*accountsv1.Validator {
	it := k.store(s).Iterator(types.ValidatorPrefix, module.PrefixEnd(types.ValidatorPrefix))
	defer it.Close()
	var out []*accountsv1.Validator
	for ; it.Valid(); it.Next() {
		var v accountsv1.Validator
		if err := proto.Unmarshal(it.Value(), &v); err != nil {
			panic(module.StoreError{Err: err})
		}
		out = append(out, &v)
	}
	return out
}

// putValidator writes v and, unless at genesis, marks it changed so that
// EndBlock reports it to CometBFT.
func (k *Keeper) putValidator(s module.KVStore, v *accountsv1.Validator, report bool) {
	if report {
		k.markUpdated(s, v.PubKey)
	}
	k.store(s).Set(types.ValidatorKey(v.PubKey), marshal(v))
}

// markUpdated records, on a key's first change in the block, the power it
// had before (0: not in the set), so that EndBlock reports only real
// changes: a node added and removed in one block was never in CometBFT's
// set, and CometBFT halts on the removal of an unknown validator.
func (k *Keeper) markUpdated(s module.KVStore, pubKey []byte) {
	st := k.store(s)
	if st.Has(types.UpdatedKey(pubKey)) {
		return
	}
	before := uint64(0)
	if v := k.GetValidator(s, pubKey); v != nil {
		before = uint64(v.Power)
	}
	st.Set(types.UpdatedKey(pubKey), module.Uint64(before))
}

// checkOperator requires an active account in a role that runs nodes and
// returns its number. The operator is named by address: a live key when a
// change is proposed; when it is applied, possibly a key rotated away since
// (the change is about the account, which keeps its number).
func (k *Keeper) checkOperator(s module.KVStore, operator string, applying bool) (uint64, error) {
	addr, err := types.ParseAddress(operator)
	if err != nil {
		return 0, ErrInvalidValidator.Wrapf("operator: %v", err)
	}
	n, ok := k.AccountNumber(s, addr)
	if !ok && applying {
		n, ok = k.resolve(s, addr)
	}
	acc, err := k.Account(s, n)
	if err != nil {
		return 0, err
	}
	if !ok || acc == nil || acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return 0, ErrInvalidValidator.Wrapf("operator %s must be an active account", addr.Hex())
	}
	for _, r := range validatorOperatorRoles {
		if hasRole(acc, r) {
			return n, nil
		}
	}
	return 0, ErrInvalidValidator.Wrapf("operator %s must hold the ministry, secretariat or provider role", addr.Hex())
}

// validateValidatorChange checks a change without state.
func validateValidatorChange(ch *accountsv1.ValidatorChange) error {
	if ch == nil {
		return ErrInvalidProposal.Wrapf("the proposal carries no change")
	}
	if err := checkPubKey(ch.PubKeyType, ch.PubKey); err != nil {
		return err
	}
	switch ch.Kind {
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD:
		if err := checkPower(ch.Power); err != nil {
			return err
		}
		if _, err := types.ParseAddress(ch.Operator); err != nil {
			return ErrInvalidValidator.Wrapf("operator: %v", err)
		}
		if p := module.TextProblem(ch.Name, MaxValidatorNameBytes, false); p != "" {
			return ErrInvalidValidator.Wrapf("name %s", p)
		}
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER:
		if err := checkPower(ch.Power); err != nil {
			return err
		}
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE:
		if ch.Power != 0 {
			return ErrInvalidValidator.Wrapf("a removal carries power 0, got %d", ch.Power)
		}
	default:
		return ErrInvalidProposal.Wrapf("kind must be add, remove or set-power")
	}
	return nil
}

// checkValidatorChange checks a change against the current set: it is run
// when the change is proposed and again when the quorum is reached
// (applying), since the set and who signs may have changed in between. For
// an addition it returns the operator's account number. Beyond the change
// fitting the set, it refuses what could stop the chain (see doc.go,
// "Validator changes that cannot halt the chain"): a key whose holder has
// not proven possession, a change that gives unproven validators a third
// of the power, and one that leaves the live validators two thirds or less.
func (k *Keeper) checkValidatorChange(ctx module.Context, ch *accountsv1.ValidatorChange, applying bool) (uint64, error) {
	s := ctx.Store
	cur := k.GetValidator(s, ch.PubKey)
	var operator uint64
	switch ch.Kind {
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD:
		if cur != nil {
			return 0, ErrValidatorExists.Wrapf("%s (%s, power %d); propose set-power to re-weight it", cur.Address, cur.Name, cur.Power)
		}
		n, err := k.checkOperator(s, ch.Operator, applying)
		if err != nil {
			return 0, err
		}
		operator = n
		if err := checkPossession(ctx.ChainID, ch); err != nil {
			return 0, err
		}
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER:
		if cur == nil {
			return 0, ErrUnknownValidator.Wrapf("%s", ValidatorAddress(ch.PubKey))
		}
		if cur.Power == ch.Power {
			return 0, ErrInvalidProposal.Wrapf("validator %s already has power %d", cur.Address, cur.Power)
		}
		if cur.LastSignedHeight == 0 && ch.Power > cur.Power {
			if err := checkPossession(ctx.ChainID, ch); err != nil {
				return 0, err
			}
		}
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE:
		if cur == nil {
			return 0, ErrUnknownValidator.Wrapf("%s", ValidatorAddress(ch.PubKey))
		}
		if len(k.Validators(s)) <= 1 {
			return 0, ErrEmptyValidatorSet.Wrapf("%s is the last validator; add another one first", cur.Address)
		}
	}
	return operator, k.checkSetSafety(ctx, ch)
}

// checkPossession verifies the consensus key's signature over the change's
// possession sign bytes: the key's holder runs (or will run) a node for
// this operator at this power on this chain.
func checkPossession(chainID string, ch *accountsv1.ValidatorChange) error {
	if len(ch.PossessionSignature) == 0 {
		return ErrPossessionProof.Wrapf("validator %s: the change carries no possession_signature; sign it with the node's priv_validator_key.json (jcreditd tx accounts propose-validator --consensus-key)", ValidatorAddress(ch.PubKey))
	}
	var op common.Address
	if ch.Kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
		op, _ = types.ParseAddress(ch.Operator) // validated before
	}
	msg := types.ValidatorPossessionSignBytes(chainID, ch.Kind, ch.PubKey, ch.Power, op)
	if len(ch.PossessionSignature) != ed25519.SignatureSize || !ed25519.PubKey(ch.PubKey).VerifySignature(msg, ch.PossessionSignature) {
		return ErrPossessionProof.Wrapf("validator %s: possession_signature is not the key's signature of this change (chain %s, %s, power %d, operator %s)",
			ValidatorAddress(ch.PubKey), chainID, changeKindName(ch.Kind), ch.Power, ch.Operator)
	}
	return nil
}

// setPower is one validator's power and standing, for checkSetSafety.
type setPower struct {
	power        int64
	proven, live bool
}

// checkSetSafety refuses a change after which the chain could stop:
//
//   - unproven validators (those added by proposal that have not signed a
//     block yet, the new one included) would hold a third or more of the
//     total power: CometBFT needs more than two thirds to commit, so those
//     keys, if no node holds them, could stop it alone;
//   - the live validators (those that signed one of the last
//     Params.liveness_window_blocks blocks) would hold two thirds or less.
//
// A change that does not make the fraction worse is let through (removing
// an unproven or a dead validator always is), so that governance can
// repair a set that is already weak.
func (k *Keeper) checkSetSafety(ctx module.Context, ch *accountsv1.ValidatorChange) error {
	window := int64(k.Params(ctx.Store).LivenessWindowBlocks)
	var before, after []setPower
	for _, v := range k.Validators(ctx.Store) {
		p := setPower{power: v.Power, proven: v.LastSignedHeight > 0, live: isLive(v, ctx.Height, window)}
		before = append(before, p)
		if bytes.Equal(v.PubKey, ch.PubKey) {
			p.power = ch.Power // set-power, or 0 for a removal
		}
		after = append(after, p)
	}
	if ch.Kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
		after = append(after, setPower{power: ch.Power})
	}
	total0, unproven0, live0 := sumPowers(before)
	total1, unproven1, live1 := sumPowers(after)
	desc := describeChange(&accountsv1.Proposal{Change: &accountsv1.Proposal_Validator{Validator: ch}})
	// unproven1/total1 >= 1/3, and more than before.
	if 3*unproven1 >= total1 && fracGreater(unproven1, total1, unproven0, total0) {
		return ErrUnprovenPower.Wrapf("%s: validators that have not signed a block would hold %d of %d (%s); add it with less power and raise it once it signs",
			desc, unproven1, total1, percent(unproven1, total1))
	}
	// live1/total1 <= 2/3, and less than before.
	if 3*live1 <= 2*total1 && fracGreater(live0, total0, live1, total1) {
		return ErrLiveQuorumAtRisk.Wrapf("%s: the validators that signed in the last %d blocks would hold %d of %d (%s), not more than two thirds",
			desc, window, live1, total1, percent(live1, total1))
	}
	return nil
}

// isLive reports whether v signed a block within window blocks of height.
func isLive(v *accountsv1.Validator, height, window int64) bool {
	return v.LastSignedHeight > 0 && height-v.LastSignedHeight <= window
}

func sumPowers(ps []setPower) (total, unproven, live int64) {
	for _, p := range ps {
		total += p.power
		if !p.proven {
			unproven += p.power
		}
		if p.live {
			live += p.power
		}
	}
	return total, unproven, live
}

// fracGreater reports a/b > c/d (b, d >= 0; x/0 counts as 0). Powers are
// at most MaxValidatorPower each, so the products fit comfortably in
// big.Int and are exact.
func fracGreater(a, b, c, d int64) bool {
	if b == 0 {
		return false
	}
	if d == 0 {
		return a > 0
	}
	l := new(big.Int).Mul(big.NewInt(a), big.NewInt(d))
	r := new(big.Int).Mul(big.NewInt(c), big.NewInt(b))
	return l.Cmp(r) > 0
}

func percent(a, b int64) string {
	if b == 0 {
		return "0%"
	}
	return itoa(a*100/b) + "%"
}

// RecordLastCommit implements module.LastCommitRecorder: at the start of
// every block it records, for each validator of the set whose vote for the
// previous block is in DecidedLastCommit, that it signed that block. The
// record is the validator's last_signed_height: one field per validator,
// bounded by the set's size, written in key order, from the votes the block
// itself carries (the same on every node).
func (k *Keeper) RecordLastCommit(ctx module.Context, votes []abci.VoteInfo) {
	if len(votes) == 0 || ctx.Height <= 1 {
		return
	}
	signed := make(map[string]bool, len(votes)) // lookup only, never iterated
	for _, v := range votes {
		if v.BlockIdFlag == cmtproto.BlockIDFlagCommit {
			signed[string(v.Validator.Address)] = true
		}
	}
	for _, v := range k.Validators(ctx.Store) {
		if !signed[string(ed25519.PubKey(v.PubKey).Address())] || v.LastSignedHeight >= ctx.Height-1 {
			continue
		}
		v.LastSignedHeight = ctx.Height - 1
		k.putValidator(ctx.Store, v, false)
	}
}

var _ module.LastCommitRecorder = (*Keeper)(nil)

// applyValidatorChange changes the set in state and marks the key for
// EndBlock, which tells CometBFT.
func (k *Keeper) applyValidatorChange(ctx module.Context, ch *accountsv1.ValidatorChange) error {
	operator, err := k.checkValidatorChange(ctx, ch, true)
	if err != nil {
		return err
	}
	switch ch.Kind {
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD:
		k.putValidator(ctx.Store, &accountsv1.Validator{
			PubKey: ch.PubKey, PubKeyType: PubKeyTypeEd25519, Power: ch.Power,
			OperatorAccount: operator, Name: ch.Name, Address: ValidatorAddress(ch.PubKey), SinceHeight: ctx.Height,
		}, true)
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER:
		v := k.GetValidator(ctx.Store, ch.PubKey)
		v.Power, v.SinceHeight = ch.Power, ctx.Height
		k.putValidator(ctx.Store, v, true)
	case accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE:
		k.markUpdated(ctx.Store, ch.PubKey)
		k.store(ctx.Store).Delete(types.ValidatorKey(ch.PubKey))
	}
	ctx.Emit(EventValidatorUpdate,
		module.Indexed("validator", ValidatorAddress(ch.PubKey)),
		module.Plain("kind", changeKindName(ch.Kind)),
		module.Plain("power", itoa(ch.Power)))
	return nil
}

// validatorsOperatedBy lists the validators operated by account n.
func (k *Keeper) validatorsOperatedBy(s module.KVStore, n uint64) []*accountsv1.Validator {
	var out []*accountsv1.Validator
	for _, v := range k.Validators(s) {
		if v.OperatorAccount == n {
			out = append(out, v)
		}
	}
	return out
}

func changeKindName(kind accountsv1.ValidatorChangeKind) string {
	return enumWord(kind.String(), "VALIDATOR_CHANGE_KIND_")
}
