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
	return p
}

func (k *Keeper) setParams(s module.KVStore, p *accountsv1.Params) {
	k.store(s).Set(types.ParamsKey, marshal(p))
}
