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
// Calibration: gas tracks CPU time (user + system time of the node's
// process: the Go runtime's GC and pebble's background compactions
// included), measured on the reference machine (the project's 2-core CI
// machine: Go 1.26, libsecp256k1 through cgo, IAVL v1 over pebble on
// local disk) with the Go benchmarks in app/gas_bench_test.go, which report
// cpu-ns/gas for each kind of transaction (make bench prints the medians),
// and app/store/gas_bench_test.go, which times each store access alone.
// Gas cannot depend on the state's size (every node must charge the same
// whatever its caches hold), but CPU time does: the same transfer costs
// about twice as much CPU in a state of 10^5 ranges as in a test state of a
// few hundred keys (deeper IAVL paths, node-cache misses, more compaction
// and GC). The table is set so that one gas is about 1 ns there (10^5
// ranges) and about 0.5 ns in a small state: transfers, retirements,
// issuances and serial transfers all fall within 0.35 to 0.6 cpu-ns/gas in
// a small state. Each store entry is the access through the real stack —
// per-transaction write buffer, per-block write buffer, IAVL tree — plus
// the work it causes later: a write is charged up front for its share of
// the end-of-block IAVL update, the root hash and the commit, which
// dominate it. Costs are not discounted for cache hits: a read of a key the
// transaction just wrote costs what a read from disk costs, so that every
// node charges the same.
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
// entry is and how the values were measured). Store accesses alone,
// measured in a 200,000-key state with random keys (the worst locality):
// a read 20 us of CPU, an iterator opened 22 us, a step 0.8 us, a write
// 270 us (nearly all of it the end-of-block IAVL save and pebble's
// compactions); in the transactions' own states writes share paths and
// cost a tenth of that, which is what the entries below reflect.
var Costs = GasCosts{
	TxFlat:       60_000,
	TxPerByte:    10,
	MsgFlat:      10_000,
	ReadFlat:     8_000,
	ReadPerByte:  10,
	WriteFlat:    24_000,
	WritePerByte: 60,
	IterOpen:     16_000,
	IterStep:     2_000,
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
