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
// issued = active + locked + retired + cancelled, always (locked is 0 until
// credits can be locked for a settlement agent).
//
// Every credit (1 t-CO2) has a serial number, 1..issued within its batch,
// written as one string defined once, in the storage-free package
// x/credits/types (serial.go), which the node, the CLI and the in-page
// proof verifier import too:
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
// [start, end] of one batch with one owner — an account number (x/accounts),
// never an address — and one status (active, retired, cancelled). Issuing 10^9 credits writes one range per recipient. A
// transfer, retirement or cancellation of serials inside a range splits it
// (a piece out of the middle leaves three ranges) and merges active
// neighbours of the same owner back together, so moving credits back and
// forth does not fragment state. Each serial lies in exactly one range;
// CheckInvariants verifies that and the supply counters.
//
// The key layout is in x/credits/types (keys.go), under "credits/"; numbers
// are 8-byte big-endian, and no value is empty (index entries hold 0x01),
// so that any key can be proven absent:
//
//	b/<batch#>                                    Batch
//	i/<report id>                                 batch# (one issuance per report)
//	r/<batch#><start>                             Range{end, owner_account, status, ...}
//	o/<account#><status><vintage YYYYMMDD><batch#><start>  end
//	t/<retirement id>                             Retirement
//	a/<account#><retirement#>                     retirements by retiring account
//	e/<account#><retirement#>                     by beneficiary account
//	n/<len 2B><name><retirement#>, y/<fiscal year 4B><retirement#>, u/<use><retirement#>
//	c/<cancellation id>                           Cancellation
//	s/<sequence name>                             last number of the sequence
//
// They make every operation cost O(k log n) for the k ranges it touches
// among n stored:
//
//   - r/<batch#><start> holds the range: finding the range of serial S is
//     one reverse seek from <batch#><S> (FindRange);
//   - o/<account#><status><vintage><batch#><start> indexes an account's
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
// Ranges, the owner index and the retirement indexes name accounts by
// their stable number, so a key rotation (x/accounts) changes nothing here:
// no range is rewritten, retired and cancelled ones included. Messages name
// accounts by address, which the accounts keeper resolves. Retirement and
// cancellation records keep the address that signed (and the beneficiary's
// address as named), as history, beside the numbers. The keeper implements
// accounts.AccountHook: an account holding active credits cannot be closed
// (CanClose).
//
// # State versions
//
// migrate_v2.go moves a state written by release v0.2.0 (accounts named by
// address) to this layout, as part of upgrade v2 (app/upgrades.go).
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
