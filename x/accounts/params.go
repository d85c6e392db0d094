package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// DefaultMinistryQuorum is 2 of the 3 ministries.
const DefaultMinistryQuorum = 2

// DefaultProposalTTLBlocks keeps a proposal open for 17,280 blocks, a day
// at 5-second blocks. Genesis may set another value.
const DefaultProposalTTLBlocks = 17_280

// DefaultLivenessWindowBlocks counts a validator live while it signed one
// of the last 100 blocks (about 8 minutes at 5-second blocks): long enough
// that a node restarting or briefly partitioned still counts, short enough
// that a key no node holds is never mistaken for a live one.
const DefaultLivenessWindowBlocks = 100

// DefaultTrustedRecipientDelayBlocks is 26 hours at 5-second blocks, the
// EU Union Registry's delay before a newly trusted account can receive.
const DefaultTrustedRecipientDelayBlocks = 18_720

// Params returns the module's parameters.
func (k *Keeper) Params(s module.KVStore) *accountsv1.Params {
	p := &accountsv1.Params{}
	if bz := k.store(s).Get(types.ParamsKey); bz != nil {
		if err := proto.Unmarshal(bz, p); err != nil {
			panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
		}
	}
	if p.ProposalTtlBlocks == 0 {
		p.ProposalTtlBlocks = DefaultProposalTTLBlocks
	}
	if p.LivenessWindowBlocks == 0 {
		p.LivenessWindowBlocks = DefaultLivenessWindowBlocks
	}
	if p.TrustedRecipientDelayBlocks == 0 {
		p.TrustedRecipientDelayBlocks = DefaultTrustedRecipientDelayBlocks
	}
	if p.PendingActionTtlBlocks == 0 {
		p.PendingActionTtlBlocks = DefaultPendingActionTTLBlocks
	}
	return p
}

func (k *Keeper) setParams(s module.KVStore, p *accountsv1.Params) {
	k.store(s).Set(types.ParamsKey, marshal(p))
}
