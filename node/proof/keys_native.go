//go:build !js

package proof

import (
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

var keysOf = keyFuncs{
	retirement: credits.RetirementStoreKey,
	batch:      credits.BatchStoreKey,
	rng:        credits.RangeStoreKey,
	account: func(address string) ([]byte, string, error) {
		addr, err := accounts.ParseAddress(address)
		if err != nil {
			return nil, "", err
		}
		return accounts.AccountStoreKey(addr), addr.Hex(), nil
	},
	serial: func(str string) (uint64, uint64, string, error) {
		s, err := credits.ParseSerial(str)
		if err != nil {
			return 0, 0, "", err
		}
		if s.Start != s.End {
			return 0, 0, "", errBlock(str)
		}
		return s.Batch, s.Start, s.String(), nil
	},
	batchID:       credits.ParseBatchID,
	formatBatchID: credits.BatchID,
}
