// Package credits holds the registry's serialized credits: batches, serial
// ranges, transfer, retirement (無効化) and cancellation (取消), and the
// retirement records that anyone can later prove.
//
// # Batches and serials
//
// Credits are issued in a batch when a ministry certifies a monitoring
// report: x/projects calls IssueBatch in the certifying transaction. A
// batch records project (id, name, place of creation), report,
// methodology, category, vintage (the monitoring period), its official
// identifiers — 制度記号 scheme symbol (JC, JCL; KC, KCP, JP for imported
// credits), クレジット種別 credit type (ER, ERL, FM; KC, KCP; J-VER types such
// as JRM, KRM) and クレジット認証番号 certification number
// (https://japancredit.go.jp/about/number/) — the energy it represents
// (renewable electricity in kWh, heat in MJ, from the verified report),
// its labels, issuance height, time and transaction, and its supply:
// issued = active + locked + retired + cancelled, always (locked is 0 until
// credits can be locked for a settlement agent). J-VER and 国内クレジット
// credits come in through MsgImportLegacyBatch (a ministry, any height),
// with their original serials: serial k of such a batch is original serial
// start+k-1, and a block of original serials of one certification number
// is imported once (lg/ index).
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
// never an address — and one status (active, locked, retired, cancelled). Issuing 10^9 credits writes one range per recipient. A
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
//	rt/<Unix seconds 8B><retirement#>             by block time (keys_retirements.go)
//	rp/<len 2B><project id><retirement#>          by project, one per project drawn
//	rc/<category 1B><retirement#>                 by category, one per category drawn
//	s/retirement-time-order                       retirement# dated before an earlier one (absent: none)
//	xb/<batch#><cancellation#>                    cancellations by batch, one per batch drawn
//	c/<cancellation id>                           Cancellation
//	s/<sequence name>                             last number of the sequence
//	ut/<version>                                  UseTable (keys_rules.go)
//	lh/<batch#><change#>                          LabelChange
//	lg/<scheme><cert no.><original start>         original end, batch# (imported blocks)
//	cn/<scheme><certification number>            batch# (one batch per J-Credit certification)
//	st/<dimension><measure><value>                Counter (statistics; types/stats.go)
//	ta/<account#><use><fiscal year>               Counter (retired for an account)
//	gx/<operator account#><fiscal year 4B>        GxRetired (GX-ETS totals; keys_gx.go)
//	lk/<lock id>                                  Lock (settlement locks, open and closed; keys_locks.go)
//	lx/<expiry height><lock#>                     0x01 (open locks by expiry height)
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
//   - MsgRetire (msg_retire.go): by quantity or serials, for one or more
//     uses of one scope, checked against the use table in state (below). A
//     provider may retire on a client's behalf by naming the client's
//     account. The Retirement record (id JCR-…, account, beneficiary, uses,
//     the use-table version it was checked against, details, offset
//     target, fiscal year, the legal names of the retiring and beneficiary
//     accounts at its height, quantity, energy, height, time, tx hash, and
//     for each serial block its project id and name, methodology,
//     category, vintage, identifiers, place of creation, labels and share
//     of the batch's energy) is stored under t/<id>: RetirementStoreKey is
//     what a retirement proof proves, and the retired ranges point at it.
//     A refusal names every rule that fails (refusal.go); a shortfall by
//     quantity says what the account does hold and whether the uses take
//     it.
//   - MsgCancel (msg_cancel.go): a ministry cancels active credits, whoever
//     holds them, with a reason (record JCX-…).
//   - MsgSetBatchLabel (msg_set_batch_label.go): a ministry adds, changes
//     or removes a batch label — CORSIA eligible (with its phase),
//     corresponding adjustment (requested, applied), Article 6 authorised,
//     ICVCM CCP — with a reason; each change is a LabelChange record
//     (lh/<batch#><n>: who, when, why), and retirements check the labels as
//     they stand at their height. Release v0.2.0's yes/no CORSIA flag is a
//     CORSIA label of the first phase (2024-2026).
//   - MsgImportLegacyBatch (msg_import_legacy_batch.go): see Batches.
//   - MsgLock, MsgSettle, MsgRelease (msg_lock.go, msg_settle.go,
//     msg_release.go): settlement locks, below.
//   - MsgPublishOffer, MsgWithdrawOffer (msg_publish_offer.go,
//     msg_withdraw_offer.go): credits for sale, below.
//   - MsgOfferTransfer, MsgAcceptTransfer, MsgCancelTransfer
//     (msg_offer_transfer.go, msg_accept_transfer.go,
//     msg_cancel_transfer.go): two-step transfers, below.
//
// # GX-ETS compliance
//
// A retirement for GX-ETS counts in the compliance of one operator — the
// beneficiary account, or the signer when none is named — for its fiscal
// year (gx.go). That account must be one a ministry marked an operator
// (x/accounts, "tx accounts gx-operator"): otherwise the retirement would
// count for nobody, and a retirement is permanent, so it is refused
// (ErrGxNotOperator, credits/86, naming the account to mark). An operator's
// year's total (gx/<operator#><fiscal year>, GxRetired, listing the retirements that
// make it up) may not exceed floor(verified emissions × share / 100): a
// refusal (ErrGxCap) states the cap, the share, the verified emissions, what
// is used and what was requested. The record names the operator
// (gx_operator_account). "jcreditd proof gx-ets <operator> --fiscal-year Y"
// proves the total with the operator, its emissions, the share and every
// retirement listed, whose quantities must add up to it, against one app
// hash. GX-ETS retirements recorded by release v0.2.0 (which had no
// operators) name no operator and are in no total; the v2 migration keeps
// them as they are (the scheme became mandatory in fiscal year 2026).
//
// # Settlement locks (escrow)
//
// Trades settle through an agent: the Tokyo Stock Exchange's carbon credit
// market settles T+5 through registry accounts, providers settle OTC. The
// seller locks credits (by serials, or a quantity oldest first) for a named
// settlement agent — an active account with the settlement role, granted by
// the secretariat like any role — until a height E. The locked ranges keep
// their owner (the seller) and become LOCKED, carrying the lock's id
// (LK-…), agent and E, so a buyer proves the lock before paying with the
// serial's ordinary proof ("LOCKED at H for agent account #N until height
// E"). The Lock record (lk/) keeps the blocks, holder, agent, reference and
// how it ended. While locked the seller cannot transfer, retire or lock the
// credits again (ErrLocked names the lock, agent and E), nor close its
// account. The agent, and only it, settles (MsgSettle: all the lock's
// credits to the buyer it names, at a height ≤ E) or releases (MsgRelease:
// back to the seller). Settlement is a delivery from the seller to the
// buyer, so a seller that transfers only to trusted recipients (x/accounts)
// must trust the buyer at the settling height, exactly as for a transfer
// (accounts' ErrUntrustedRecipient otherwise; the lock stays open). The
// agent's settlement role exempts nothing: the agent never holds the
// credits, and exempting it would let whoever stole a restricted seller's
// key lock its credits for an exchange and have them settled to an account
// of the thief's choosing. Locking itself moves nothing and is not
// checked; the seller adds the buyer in advance (the delay runs from the
// addition), or the agent waits for it, or releases. A ministry may still cancel locked credits: every
// lock touched ends (CANCELLED, naming the cancellation), its other credits
// return to the seller, and the Cancellation lists the locks it released.
//
// Expiry is processed in EndBlock, not lazily: the index lx/<E><lock#>
// holds the open locks by expiry height; at the end of each block at most
// MaxExpiriesPerBlock (50) locks due (E ≤ the block's height) return to
// their holders, in key order, and any beyond wait for the next block
// (still unsettleable: E has passed). One lock holds at most MaxLockBlocks
// (100) serial blocks and expires at most MaxLockPeriod blocks ahead, so
// the work of settling, releasing or expiring one lock is bounded.
//
// # Two-step transfers
//
// For a counterparty that must not receive unexpected credits, the sender
// may offer a transfer the recipient must accept. It reuses the lock
// machinery rather than a record of its own: MsgOfferTransfer makes a Lock
// marked transfer_offer whose agent is the recipient (any active account,
// no settlement role), expiring at the height given (default MaxLockPeriod
// ahead); a sender restricted to trusted recipients (x/accounts) may offer
// only to them, as it may transfer, and the recipient accepts only while it
// is still one (a recipient removed since cannot take the credits). The credits are LOCKED meanwhile — counted as locked by the
// conservation invariant, immovable by the sender, provable — and:
// MsgAcceptTransfer (the recipient, at a height ≤ E) settles the lock to
// the recipient itself (SETTLED, buyer = recipient); MsgCancelTransfer
// (the sender, until accepted) releases it (RELEASED); EndBlock expires it
// like any lock. MsgSettle and MsgRelease refuse a transfer offer
// (ErrTransferOffer), so it can only ever move to its recipient; accept
// and cancel refuse a settlement lock (ErrNotTransfer). The recipient
// lists what it is offered with Locks (agent = itself, status open).
//
// # Credits for sale (売り出しクレジット一覧)
//
// A holder publishes an offer (offers.go): a filter (batch, category,
// vintage year; unset: any), a quantity, an optional price in yen per
// t-CO2 (an integer; 0 is "on request") and a contact (plain text,
// module.TextProblem). The record (Offer, of/<OF-id>) is deleted when the
// holder withdraws it. Nothing is locked and no payment moves on chain —
// the list is a noticeboard — so transfers, retirements and locks do no
// offer bookkeeping. Instead the Offers query computes, for each offer it
// lists, what the holder can deliver now: its active credits matching the
// filter, counted along the owner index and stopping at the offer's
// quantity (bounded work). An offer with nothing deliverable is exhausted
// and left out unless include_exhausted is asked; it returns to the list
// when its holder again holds matching credits. Publishing needs at least
// one matching active credit. Filters: holder, batch, category, vintage
// year (an offer matches a category or year filter only if it names that
// category or year).
//
// # The scheme's rules
//
// The category-by-use table is state, not code (use_rules.go, use_table.go):
// a versioned UseTable under ut/<version>, the current version in
// s/usetable. A chain starts with DefaultUseTable, the table the scheme
// publishes (https://japancredit.go.jp/usage/, the table of case/outline):
//
//	use                              RE  RH  ES  FO  IP/AG/WA   scope (活用範囲)     fiscal year
//	温対法 adjusted emissions          ✓   ✓   ✓   ✓   ✓          organisation         current, or previous until 30 June
//	温対法 adjusted emission factor    ✓   ✓   ✓   ✓   ✓          electricity supply   current, or previous until 30 June
//	省エネ法 (joint energy saving)      ×   ×   ✓   ×   ×          organisation         earliest vintage .. current
//	carbon offset                    ✓   ✓   ✓   ✓   ✓          offset target        earliest vintage .. current
//	CDP (Scope 2)                    ✓   ✓   ×   ×   ×          organisation         earliest vintage .. current
//	SBT                              ✓   ✓   ×   ×   ×          organisation         earliest vintage .. current
//	RE100                            ✓   ×   ×   ×   ×          organisation         earliest vintage .. current
//	SHIFT / ASSET                    ✓   ✓   ✓   ✓   ✓          organisation         earliest vintage .. current
//	Keidanren CN action plan         scheme JCL, or credit type ERL, FM, JRM, KRM  organisation
//	CORSIA                           any category labelled CORSIA-eligible for the phase   CORSIA
//	GX-ETS                           J-Credits (JC, JCL) of every category       GX-ETS
//	other                            every category                             other (alone)
//
// Sources: the table, japancredit.go.jp/usage/; Keidanren's identifiers,
// japancredit.go.jp/about/number/ (JC not usable for Keidanren's plan
// except FM; JCL usable; J-VER JP only types JRM, KRM); 温対法's grace rule,
// japancredit.go.jp/case/law/; one retirement for several reports and the
// offset place, japancredit.go.jp/application/account/support/ (「クレジット
// を利用する法人と活用範囲が同じであれば、1つの無効化で複数の報告制度に利用す
// ることは可能」; 「無効化目的の対象場所と、カーボン・オフセットで使用するクレジッ
// トの創出場所が異なっている必要があります」, citing the carbon-offset guideline
// 「我が国におけるカーボン・オフセットのあり方について（指針）」, (1) 定義).
//
// The scope classes are this registry's reading of 活用範囲: what the
// retired credits are counted against. The organisation's own emissions
// and energy (温対法 adjusted emissions, 省エネ法, CDP, SBT, RE100,
// SHIFT/ASSET, Keidanren) are one scope, so one retirement can serve all
// of a company's reports about itself; a retailer's emission factor counts
// its customers' electricity; a carbon offset its target's emissions;
// CORSIA an aeroplane operator's offsetting requirement; GX-ETS an
// operator's compliance obligation; "other" stands alone. The scope is a
// column of the table, so the ministries can change it.
//
// The fiscal year (April-March) is computed from the block time in Japan
// Standard Time (types.FiscalYear), never a clock; a refusal names the
// years allowed. A CORSIA retirement counts in the phase it names, or the
// one containing its fiscal year. A carbon offset names its target (event,
// product, organisation or place) and where its emissions arise (JIS X
// 0401 prefecture and municipality); each batch's place of creation must
// differ, and when the records cannot tell two places in one prefecture
// apart (a municipality missing) it counts as the same place.
//
// Only a ministry quorum replaces the table: x/accounts' proposal kind 12
// (MsgProposeUseTable) calls CheckUseTable when proposed and ApplyUseTable
// when the quorum approves, which stores the next version, in force from
// that transaction. Every retirement records the version it was checked
// against; retirements recorded by release v0.2.0 name version 0, its rules
// written as a table (V1UseTable), which the v2 migration stores beside
// version 1.
//
// Retired and cancelled ranges never change again (locked ones do: see
// Settlement locks). Every rejection has its
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
// A message may be signed by a member key of an organisation's account: it
// acts as the account. The keeper implements accounts.ActionClassifier
// (action_class.go), so that the account's threshold policy governs its
// credits: MsgTransfer, MsgOfferTransfer and MsgLock are TRANSFER (with
// the credits they select, by quantity or serial ranges), MsgRetire is
// RETIRE, MsgCancel CANCEL. A message that needs more approvals than its
// signer's waits as an x/accounts pending action and runs, through this
// module's handlers and rules unchanged, at the approval that reaches the
// threshold.
//
// # Statistics
//
// stats.go keeps the registry's statistics as counters in state, moved by
// the transaction that changes what they count, through the same code that
// moves a batch's supply counters: issued, locked, retired, cancelled by
// category, vintage year, methodology, prefecture of creation and in total
// (active is computed), retired and retirements by fiscal year, retired by
// use and by use within a year, and per account what was retired for it
// (the beneficiary account, else the retiring account) per use and fiscal
// year. A transaction gathers its changes in a tally and writes each
// counter it touched once, in the order first touched; a counter at 0 is
// deleted, so an absent key is a proven 0 (node/proof kind "total"). Their
// cost does not grow with the registry: a one-use retirement from one
// batch writes 11 counters. CheckInvariants recomputes every counter from
// the batches and retirement records; InitGenesis and the v2 migration
// compute them (RebuildStats): a genesis does not carry them. Queries
// Stats (by dimension; use and fiscal year narrow retirements) and
// AccountTotals (query_stats.go). A lock (issue 14) moves credits from
// active to locked with moveSupply like the others.
//
// # State versions
//
// migrate_v2.go moves a state written by release v0.2.0 (accounts named by
// address, one use per retirement, a CORSIA flag, no identifiers) to this
// layout, as part of upgrade v2 (app/upgrades.go); its comment says what
// each record gains. A batch v0.2.0's genesis imported from the legacy
// registry (issuance height 0, that registry's report id, no report in
// x/projects) keeps its ids and gains no project name, place or certifier.
// It ends by computing the statistics, which v0.2.0 did not keep.
//
// # Genesis
//
// A genesis may carry batches, ranges and records migrated from the legacy
// registry; ValidateGenesis requires each batch's ranges to tile its serials
// and its counters to match, and numbering continues after the highest id.
// Settlement locks travel in it too (locks): a locked range must name an
// open lock of its holder, agent and expiry; InitGenesis rebuilds the
// expiry index from the open ones.
//
// Queries (query.go, query_rules.go) answer the rpcs of service
// jcredit.credits.v1.Query (proto/jcredit/credits/v1/query.proto) at
// /credits/<rpc>, each request in protobuf JSON (x/module). Single records
// — Serial (the range holding it), Batch, Retirement, Cancellation,
// UseTable, LabelChange, Lock — return their store key, so prove=true yields an
// ICS23 proof of them. Lists page with one cursor scheme: Batches (by
// number; name filters by the project name recorded at issuance, x/module
// NameFilter), Holdings (an account's ranges in the owner index's order),
// Retirements, Cancellations, Locks (by id), UseTables (by version), LabelChanges
// (a batch's, in order), Ranges (a batch's, by first serial: what its
// credits are now), Stats (a dimension's values), AccountTotals (an
// account's, by use and fiscal year). The app's dry run
// (app/simulate.go) shows what a transaction would write through Preview.
//
// # Listing retirements
//
// Retirements combine any of account, beneficiary (name or account), use,
// fiscal year, date range (Japan time), batch, project and category, and
// every filter has an index, so that a list's cost per record listed does
// not grow with the registry (TestListReadsPerRecordFlat counts the reads
// over 10^3 to 10^5 records). The rule (query_retirements.go):
//
//   - a batch, without an account or beneficiary account: the batch's
//     ranges are walked (each retirement at its lowest serial there, so in
//     serial order) and every other filter is checked on each record —
//     a batch holds few retirements whatever the registry's size;
//   - otherwise the list is in retirement-number order and the indexes of
//     every filter given — a/ account, e/ beneficiary account, n/
//     beneficiary name, y/ fiscal year, u/ use, rp/ project, rc/ category,
//     each ordered by number — are walked in step (a leapfrog join): each
//     is asked for its first number at or after the candidate, and a
//     number all of them hold is read (module.Lookup: one iterator,
//     stepping when they are consecutive) and checked against every
//     filter, so the most selective filter drives whatever its place in
//     the request. With no such filter the records (t/) are walked;
//   - a date range narrows all of them to a range of numbers: the chain
//     numbers retirements in the order it records them and block times
//     never go back, so the records in [from, to] are the numbers between
//     the first rt/ entry at or after from and the last before the day
//     after to — two seeks. Time rather than height, because the record
//     holds its time and a date is a time: no mapping from heights to days
//     is needed. saveRetirement notices a record dated before an
//     earlier-numbered one (possible only in a genesis or a v1 state, whose
//     records are numbered by their source, or after a genesis dating
//     records later than its chain's blocks) and names it under
//     s/retirement-time-order; date ranges are then checked on each
//     record instead: exact, but no longer flat.
//
// A page lists at most its limit and examines at most 10,000 entries,
// saying so (page.partial) when it stops short; the cursor holds the last
// retirement number examined (for a batch, the range key), and pins the
// height, so records written meanwhile do not disturb a walk.
// Cancellations have one filter, batch (issue 13 asks for the full filter
// set on retirements only): xb/<batch#> names each cancellation drawing
// from the batch, in number order, so the list by batch reads only the
// batch's records, in the same order as the whole list.
package credits
