package app

import (
	"encoding/binary"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/x/module"
)

// Gas limits. Gas tracks CPU time (see module.GasCosts for the cost table
// and how it was measured): on the reference machine one gas is about
// 0.5 ns of CPU in a small state and about 1 ns in a state of 10^5 ranges.
// A transaction reserves its gas limit of its block's max_gas whether it
// uses it or not, so the default limit is a few times what an ordinary
// transaction needs, and a transaction that needs more (a transfer of many
// serial blocks, a program-type project with many members) says so in its
// body's gas_limit.
//
// Measured (app/gas_bench_test.go): an ordinary transfer by quantity uses
// about 460,000 gas, a retirement 560,000, a certification that issues a
// batch 340,000, the largest serial transfer (1,900 range splits, 62 KB)
// 576,000,000.
const (
	// DefaultTxGas is the limit of a transaction whose body's gas_limit
	// is 0: about 3x an ordinary transfer, 2.7x a retirement.
	DefaultTxGas uint64 = 1_500_000
	// MaxTxGas is the most any one transaction may ask for: enough for the
	// largest serial transfer that fits in MaxTxBytes, with room to spare.
	MaxTxGas uint64 = 800_000_000
	// DefaultBlockMaxGas is the consensus parameter block.max_gas that
	// `jcreditd init` and `jcreditd testnet` write: 5,000 transactions at
	// the default limit (ordinary blocks of thousands of transfers), or 9
	// of the largest. A block whose transactions use all of it takes about
	// 4 s of CPU in a small state and 9 s at 10^5 ranges on the reference
	// machine; an ordinary block of 5,000 transfers uses under half of it.
	// It is also the app's limit on a chain whose genesis sets no max_gas
	// (-1).
	DefaultBlockMaxGas int64 = 7_500_000_000
)

// maxGasKey holds the block gas limit the chain was started with (the
// genesis consensus parameter block.max_gas), so that a restarted node,
// which gets no InitChain, applies the same limit.
var maxGasKey = []byte("app/max_gas")

// gasLimit is the gas a transaction may use and reserves of its block.
func gasLimit(d *tx.Decoded) (uint64, error) {
	switch l := d.Body.GasLimit; {
	case l == 0:
		return DefaultTxGas, nil
	case l > MaxTxGas:
		return 0, ErrGasLimit.Wrapf("gas_limit %d is above the per-transaction maximum %d; split the transaction", l, MaxTxGas)
	default:
		return l, nil
	}
}

// intrinsicGas is what a transaction costs before its messages touch
// state: the envelope, the signature, the nonce, and each message's
// unpacking.
func intrinsicGas(d *tx.Decoded) uint64 {
	c := module.Costs
	return c.TxFlat + c.TxPerByte*uint64(len(d.Raw)) + c.MsgFlat*uint64(len(d.Body.Messages))
}

// blockMaxGas reads the chain's block gas limit from state.
func blockMaxGas(s module.KVStore) int64 {
	bz := s.Get(maxGasKey)
	if len(bz) != 8 {
		return DefaultBlockMaxGas
	}
	return int64(binary.BigEndian.Uint64(bz))
}
