// Package credits holds the registry's serialized credits: batches, serial
// ranges, transfer, retirement (無効化) and cancellation (取消), and the
// retirement records that anyone can later prove.
//
// # Batches and serials
//
// Credits are issued in a batch when a ministry certifies a monitoring
// report: x/projects calls IssueBatch in the certifying transaction (there
// is no issuance message of this module). A batch records project, report,
// methodology, category, vintage (the monitoring period), CORSIA
// eligibility, issuance height, time and transaction, and its supply:
// issued = active + retired + cancelled, always.
//
// Every credit (1 t-CO2) has a serial number, 1..issued within its batch,
// written as one string defined once in serial.go:
//
//	JC-00000042-RE-2024-0000000001              one credit
//	JC-00000042-RE-2024-0000000001-0000001000   an inclusive block
//
// (batch number, category code, vintage year, serial or start-end). The
// batch number makes it globally unique; ParseSerial accepts only the
// canonical spelling, so strings round-trip (fuzzed by FuzzParseSerial).
//
// # Holdings are ranges
//
// State never holds one row per credit. A holding is a Range: a block
// [start, end] of one batch with one owner and one status (active, retired,
// cancelled). Issuing 10^9 credits writes one range per recipient. A
// transfer, retirement or cancellation of serials inside a range splits it
// (a piece out of the middle leaves three ranges) and merges active
// neighbours of the same owner back together, so moving credits back and
// forth does not fragment state. Each serial lies in exactly one range;
// CheckInvariants verifies that and the supply counters.
//
// The keys (keys.go) make every operation cost O(k log n) for the k ranges
// it touches among n stored:
//
//   - r/<batch#><start> holds the range: finding the range of serial S is
//     one reverse seek from <batch#><S> (FindRange);
//   - o/<owner><status><vintage><batch#><start> indexes an account's
//     ranges oldest vintage first, so a transfer or retirement by quantity
//     walks exactly the ranges it consumes, and filters by batch or vintage
//     year are key prefixes.
//
// # Operations
//
//   - MsgTransfer (msg_transfer.go): by quantity, oldest vintage first,
//     optionally filtered by batch, category or vintage year (総量指定), or by
//     explicit serials (シリアル番号指定); only to an active account.
//     Providers transfer like any holder.
//   - MsgRetire (msg_retire.go): by quantity or serials, for exactly one use
//     (use_rules.go enforces the category rules: RE100 renewable
//     electricity only, Energy Conservation Act energy saving only, CORSIA
//     eligible batches only). A provider may retire on a client's behalf by
//     naming the client's account. The Retirement record (id JCR-…, account,
//     beneficiary, use, details, fiscal year, serial blocks, quantity,
//     height, time, tx hash) is stored under t/<id>: RetirementStoreKey is
//     what a retirement proof proves, and the retired ranges point at it.
//   - MsgCancel (msg_cancel.go): a ministry cancels active credits, whoever
//     holds them, with a reason (record JCX-…).
//
// Retired and cancelled ranges never change again. Every rejection has its
// own code (errors.go) and leaves state untouched, since the app discards a
// failed transaction's writes.
//
// # Accounts
//
// The keeper implements accounts.AccountHook: on key rotation MoveAccount
// re-homes every range of the old address (retirement records keep the
// signing address as history but are indexed under the new one too); an
// account holding active credits cannot be closed (CanClose).
//
// # Genesis
//
// A genesis may carry batches, ranges and records migrated from the legacy
// registry; ValidateGenesis requires each batch's ranges to tile its serials
// and its counters to match, and numbering continues after the highest id.
//
// Queries (query.go) answer in JSON: serial, batch, batches, holdings,
// retirement, cancellation, and retirements by account, beneficiary,
// fiscal year or use. Those backed by one record return its store key, so
// prove=true yields an ICS23 proof of it.
package credits
