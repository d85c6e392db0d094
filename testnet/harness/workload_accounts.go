package harness

import (
	"context"
	"fmt"
	"math/rand"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// OpenAccounts is a workload in which each signer (an account with the
// secretariat role) opens new holder accounts, one per transaction. Its
// check: every account opened by a committed transaction exists, with the
// name it was opened with, on the node checked.
type OpenAccounts struct{}

// Msgs opens one fresh account with a random address.
func (OpenAccounts) Msgs(signer string, seq int, rnd *rand.Rand) []proto.Message {
	var a common.Address
	rnd.Read(a[:])
	return []proto.Message{&accountsv1.MsgOpenAccount{
		Address:    a.Hex(),
		LegalName:  fmt.Sprintf("load holder %s-%d", signer, seq),
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION,
		Country:    "JP",
		Roles:      []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
	}}
}

// Verify checks that every account the committed transactions opened
// exists on nd.
func (OpenAccounts) Verify(ctx context.Context, nd *Node, ok []*TrackedTx) error {
	for _, t := range ok {
		for _, m := range t.Msgs {
			open, isOpen := m.(*accountsv1.MsgOpenAccount)
			if !isOpen {
				continue
			}
			acc, err := QueryAccount(ctx, nd, open.Address)
			if err != nil {
				return fmt.Errorf("%s: query %s: %w", nd.Name, open.Address, err)
			}
			if acc == nil || acc.LegalName != open.LegalName {
				return fmt.Errorf("%s: account %s opened by tx %s at height %d is missing", nd.Name, open.Address, t.Hash, t.Height)
			}
		}
	}
	return nil
}
