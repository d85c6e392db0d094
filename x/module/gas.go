package module

import "fmt"

// Gas is the deterministic measure of a transaction's work. Every
// validator charges the same gas for the same transaction on the same
// state, because charges depend only on what the transaction asks the
// store for (how many reads, writes, iterator steps, how many bytes), never
// on caches, timing or the machine. The app wraps every store a
// transaction's messages see so that these are charged as they happen;
// a handler that does work the store does not see (parsing, hashing) may
// charge for it with ctx.Gas.Charge.
//
// Limits: a transaction may use at most its body's gas_limit (0: the app's
// default; never more than the app's maximum), and a block's transactions
// may reserve at most the consensus parameter block.max_gas between them.
// A transaction that runs out fails with its own code, its writes
// discarded; its nonce is still spent.

// GasCosts is the cost table: how much gas each kind of store access
// costs. It is defined once, here (Costs); the app's store wrapper charges
// from it and handlers charge extra in its units.
//
// Calibration: one gas is about one nanosecond of one core of the
// reference machine (the project's 2-core CI machine: Go 1.26,
// libsecp256k1 through cgo, IAVL v1 over pebble on local disk), measured
// with the Go benchmarks in app/gas_bench_test.go (see that file and the
// README's Performance section for the figures). Each entry is the
// measured cost of the operation through the real stack — per-transaction
// write buffer, per-block write buffer, IAVL tree with its node cache —
// including the work it causes later: a write is charged up front for its
// share of the end-of-block IAVL update, the root hash and the commit to
// disk, which dominate it. The costs are deliberately not discounted for
// cache hits: a read of a key the transaction just wrote costs what a read
// from disk-backed IAVL costs, so that the charge is the same on every
// node whatever its caches hold.
type GasCosts struct {
	// TxFlat is charged once per transaction before its messages run:
	// signature recovery (secp256k1 ecrecover), the envelope's canonical
	// re-encoding and hashing, reading the signer's key and writing its
	// nonce.
	TxFlat uint64
	// TxPerByte is charged per byte of the transaction: decoding, hashing,
	// and keeping it in the block.
	TxPerByte uint64
	// MsgFlat is charged per message: unpacking, stateless validation,
	// routing and the events it emits.
	MsgFlat uint64
	// ReadFlat is a Get or Has: a lookup in two write buffers and an IAVL
	// descent.
	ReadFlat uint64
	// ReadPerByte is charged per byte of key and value read (or yielded
	// by an iterator): copying and decoding it.
	ReadPerByte uint64
	// WriteFlat is a Set or Delete, including its share of the
	// end-of-block IAVL update, root hash and commit.
	WriteFlat uint64
	// WritePerByte is charged per byte of key and value written: hashed
	// into the IAVL node and written to disk.
	WritePerByte uint64
	// IterOpen is opening an iterator: a seek in each write buffer and in
	// the IAVL tree.
	IterOpen uint64
	// IterStep is each key an iterator moves to.
	IterStep uint64
}

// Costs is the cost table the app charges (see GasCosts for what each
// entry is and how the values were measured).
var Costs = GasCosts{
	TxFlat:       60_000,
	TxPerByte:    10,
	MsgFlat:      5_000,
	ReadFlat:     4_000,
	ReadPerByte:  5,
	WriteFlat:    12_000,
	WritePerByte: 30,
	IterOpen:     8_000,
	IterStep:     1_000,
}

// GasMeter counts the gas one transaction uses against its limit. A nil
// *GasMeter is an unmetered context (genesis, end of block, queries):
// charging it does nothing.
type GasMeter struct {
	limit, used uint64
}

// NewGasMeter returns a meter allowing limit gas.
func NewGasMeter(limit uint64) *GasMeter { return &GasMeter{limit: limit} }

// OutOfGas is the panic value of a charge that passes the meter's limit.
// Store calls cannot return errors, so running out unwinds the handler; the
// app recovers it into its out-of-gas result. Handlers must not recover it.
type OutOfGas struct {
	Limit, Wanted uint64
	// Why names the charge that did not fit.
	Why string
}

func (e OutOfGas) Error() string {
	return fmt.Sprintf("out of gas: %s needed %d gas in all, the limit is %d", e.Why, e.Wanted, e.Limit)
}

// Charge adds n gas for why (a few words: "read", "write", "iterator
// step", "signature"), panicking with OutOfGas if the total passes the
// limit. The meter then stays at its limit.
func (g *GasMeter) Charge(n uint64, why string) {
	if g == nil {
		return
	}
	total := g.used + n
	if total < g.used || total > g.limit { // overflow or over
		wanted := total
		if total < g.used {
			wanted = ^uint64(0)
		}
		g.used = g.limit
		panic(OutOfGas{Limit: g.limit, Wanted: wanted, Why: why})
	}
	g.used = total
}

// Used is the gas charged so far (the limit, after running out).
func (g *GasMeter) Used() uint64 {
	if g == nil {
		return 0
	}
	return g.used
}

// Limit is the meter's limit.
func (g *GasMeter) Limit() uint64 {
	if g == nil {
		return 0
	}
	return g.limit
}

// Remaining is the gas left before the limit.
func (g *GasMeter) Remaining() uint64 {
	if g == nil {
		return ^uint64(0)
	}
	return g.limit - g.used
}
