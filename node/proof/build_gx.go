//go:build !js

package proof

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The GX-ETS bundle's builder (gx.go holds its format and checks, which the
// wasm verifier shares).

// GxEts proves operator n's GX-ETS compliance use for fiscal year fy.
func (b *Builder) GxEts(ctx context.Context, n uint64, fy uint32) (*Bundle, error) {
	height, err := b.provableHeight(ctx)
	if err != nil {
		return nil, err
	}
	key := creditstypes.GxRetiredStoreKey(n, fy)
	value, _, err := b.Source.StoreKey(ctx, key, height)
	if err != nil {
		return nil, err
	}
	also := [][]byte{accountstypes.GxOperatorStoreKey(n), accountstypes.GxEmissionsStoreKey(n, fy), accountstypes.ParamsStoreKey()}
	if value != nil {
		var g creditsv1.GxRetired
		if err := proto.Unmarshal(value, &g); err != nil {
			return nil, err
		}
		if len(g.RetirementIds) > MaxGxRecords {
			return nil, fmt.Errorf("operator %d retired for fiscal year %d in %d retirements; a bundle carries at most %d", n, fy, len(g.RetirementIds), MaxGxRecords)
		}
		for _, id := range g.RetirementIds {
			also = append(also, creditstypes.RetirementStoreKey(id))
		}
	}
	return b.Build(ctx, KindGxEts, GxSubject(n, fy), key, height, also...)
}

// GxOperatorQueryPath answers which account an operator argument (address
// or number) is: x/accounts' GxOperator query.
const GxOperatorQueryPath = "/accounts/GxOperator"

// GxEtsFor proves the GX-ETS compliance use of the operator account
// (address or number) for fiscal year fy, resolving the account in the
// same state.
func (b *Builder) GxEtsFor(ctx context.Context, account string, fy uint32) (*Bundle, error) {
	height, err := b.provableHeight(ctx)
	if err != nil {
		return nil, err
	}
	data, _ := module.MarshalJSON(&accountsv1.QueryGxOperatorRequest{Account: account})
	value, _, err := b.Source.Query(ctx, GxOperatorQueryPath, data, height)
	if err != nil {
		return nil, err
	}
	var ans accountsv1.QueryGxOperatorResponse
	if err := protojson.Unmarshal(value, &ans); err != nil {
		return nil, fmt.Errorf("the node's answer to %s: %w", GxOperatorQueryPath, err)
	}
	if ans.Operator.GetAccount() == 0 {
		return nil, fmt.Errorf("%s is not a GX-ETS operator", account)
	}
	return b.GxEts(ctx, ans.Operator.Account, fy)
}
