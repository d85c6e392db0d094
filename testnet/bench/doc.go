// Package bench measures a jcredit network's throughput beside CometBFT's
// own kvstore application, on the same machine, in the same run, with the
// same harness: `make bench-net`.
//
// A run is rounds of segments, interleaved (jcredit, kvstore, jcredit mix;
// jcredit, kvstore, …), so that a burst of load from elsewhere on a shared
// machine hits both sides rather than one; the summary quotes medians over
// rounds and ratios. Each segment starts a fresh network of four validators
// (real processes on loopback, homes written by node/testnet, the generator
// behind `jcreditd testnet`, with the consensus timeouts it writes): jcreditd
// for jcredit, and CometBFT's `cometbft` binary at the version go.mod
// requires with --proxy_app=kvstore_connsync for the baseline, so that
// consensus, mempool, p2p, RPC and the tx indexer are the same code and the
// same configuration on both sides, and only the application differs.
//
// The load: many lanes (32 by default), each one funded genesis account
// (jcredit; the accounts hold genesis credits, see harness.Credits) or one
// key prefix (kvstore), each bound to one validator and keeping one
// broadcast_tx_sync call in flight, so that a lane's nonces stay in order.
// Two phases per segment:
//
//   - saturation: every lane sends as fast as CheckTx answers; "mempool
//     full" is back-pressure (the lane waits and sends the same bytes
//     again);
//   - rate-limited: the lanes together offer a fixed rate, 80 % of the
//     reference jcredit workload's saturation rate in the same round (the
//     same rate for kvstore).
//
// What is measured comes from the chain, not from the submissions:
// committed (successful) transactions per second over the blocks of a
// window after a warm-up, timed by the blocks' own clock; the latency of
// each transaction accepted in the window, from the accepted broadcast to
// the moment a client polling /status saw its block; the machine's load,
// the CPU time of the node processes and of everything else on the machine
// (/proc) during the window; CometBFT's mempool and ABCI counters
// (Prometheus); and, in profiling segments, a validator's CPU and
// allocation profiles (pprof), summarised by where the time goes.
//
// Every transaction is accounted for (see Accounting): an accepted
// transaction is committed (successfully or not, by code), still pending,
// or evicted at recheck by its node, as that node's eviction counter
// confirms; an accepted transaction missing otherwise fails the run.
//
// The code here is the engine; testnet/bench's test (build tag bench) runs
// it: `make bench-net` in full, `make bench-net-short` as CI's check that
// the harness works end to end (its figures mean nothing).
package bench
