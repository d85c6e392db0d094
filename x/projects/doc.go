// Package projects holds methodologies, projects and monitoring reports
// through their J-Credit lifecycle, and turns a certified report into
// issued credits.
//
// # The procedure, as the scheme runs it
//
//	methodology   adopted by a ministry (or loaded at genesis)
//	project       submitted   a creator files a plan: methodology, location,
//	                          crediting period, expected reductions and the
//	                          SHA-256 of the plan document; it becomes the operator
//	              validated   an independent review body (verifier) approves the plan
//	              registered  a ministry registers it after the expert committee
//	              rejected    a ministry (from submitted or validated) or a review
//	                          body (from submitted), always with a reason
//	              terminated  a ministry ends a registered project, with a reason
//	report        submitted   the operator claims t-CO2 for a period
//	              verified    an independent review body confirms it, possibly lower
//	              certified   a ministry certifies it: credits are issued
//	              rejected    a ministry (from submitted or verified) or a review
//	                          body (from submitted), with a reason
//
// Every step appends {status, actor, height, time, reason} to the record's
// history, so the record shows who moved it and when. Rejected, certified and
// terminated are final. Any other step is refused with its own error code
// (errors.go) and leaves state untouched.
//
// # Rules worth knowing
//
//   - Independence: a review body may not validate, verify or reject a
//     project it operates or is a program member of.
//   - Location: where the project creates its credits, a JIS X 0401
//     prefecture code ("26") and optionally the municipality (name and
//     five-digit local government code); release v0.2.0's ISO form
//     ("JP-26") is still read. Its batches carry it: a carbon offset must
//     use credits created elsewhere than what it offsets.
//   - Crediting period: calendar dates "YYYY-MM-DD" (UTC, both ends
//     inclusive), at most the category's crediting years long
//     (Params.crediting_years_by_category: forest 16; else
//     Params.max_crediting_years, 8) and ending no later than
//     Params.latest_crediting_end (2031-03-31); all genesis parameters.
//   - Monitoring period: inside the crediting period, already ended (its last
//     day is before the block's UTC date), and not overlapping an earlier
//     report of the project unless that report was rejected.
//   - A verifier may lower the claimed amount, never raise it; the verified
//     amount is what is issued.
//   - Program-type projects list members (name, site, account, share in basis
//     points summing to 10000). Certified credits are split by Allocate:
//     floors first, then the leftover credits one each to the largest
//     remainders (ties: earlier member first); zero parts are dropped.
//   - The certifying ministry decides the batch's official identifiers
//     (scheme symbol JC or JCL, credit type ER, ERL or FM, certification
//     number; defaults JC, ER/FM and the report id), the energy of the
//     verified report (kWh of renewable electricity, MJ of heat) and the
//     labels it starts with, CORSIA eligibility among them: that depends on
//     the vintage and on international rules, which is the administrator's
//     call, not the operator's (MsgCertifyReport.corsia_eligible, v0.2.0's
//     flag, means the first phase). Labels can change later (x/credits).
//
// # Issuance in the same transaction
//
// CertifyReport builds a credits IssuanceRequest (project, report,
// methodology and its category, vintage = the report's period, the
// project's name and location, identifiers, energy, labels, allocations) and calls CreditIssuer.IssueBatch, the small interface this
// package declares in expected_keepers.go and x/credits implements. The
// batch id is stored on the report. If issuance fails the handler returns
// the error and the app discards the whole transaction: a report is never
// certified without its batch, nor a batch issued without a certified report.
//
// # Accounts
//
// Projects name their operator and program members by account number
// (x/accounts), so a key rotation changes nothing here: the new key
// submits the reports and receives the credits at once (and is still not
// independent of the project). Status histories keep the address that
// signed each step, as history. Messages name members by address, which the
// accounts keeper resolves. The Keeper is an accounts.AccountHook: an
// account that operates or is a member of a submitted, validated or
// registered project cannot be closed.
//
// # State and queries
//
// x/projects/types (keys.go) defines the key layout and the project and
// report ids: records keyed by number, plus secondary indexes by status,
// operator, member (account numbers) and methodology, so that listing
// queries walk an index instead of scanning; index values are 0x01, never
// empty. migrate_v2.go moves a state written by release v0.2.0 (operators
// and members named by address) to this layout, in upgrade v2. query.go
// answers the rpcs of service jcredit.projects.v1.Query
// (proto/jcredit/projects/v1/query.proto) at /projects/<rpc>: Project,
// Report, Methodology and Params are single records whose answers carry
// their state key, so a client can ask for an ICS23 proof of them;
// Projects (filtered by status, operator, member, methodology, read from
// the most selective index given, and by prefecture and name, x/module
// NameFilter), Reports and
// Methodologies are lists, paged with one cursor scheme (x/module).
// Stats (stats.go) counts projects by status from counters kept in state
// (st/<status>), which setProject moves with every status change and the
// v2 migration computes. Each counter is provable: a total proof bundle
// (node/proof, subject "projects,status=registered", spelt by
// types.ProjectTotal; "projects" proves all five) proves its key against
// the app hash, an absent key proving 0 (`jcreditd proof total projects
// --status registered`).
package projects
