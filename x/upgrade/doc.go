// Package upgrade holds the software upgrades of the registry's state
// machine, decided by the ministries and applied by every node at the same
// height.
//
// A registry's records must outlive every version of its software, and a
// running network of ministries cannot be wiped to change the state layout.
// So an upgrade is a decision on chain, as Cosmos SDK chains make it:
//
//  1. A ministry proposes an upgrade plan (name, height, info) with
//     MsgProposeUpgrade (x/accounts); the ministry quorum that approves
//     validator changes approves it, and the plan is stored here.
//  2. At the plan's height, before executing any transaction of that
//     block, the app (app/upgrade.go) looks for a migration registered
//     under the plan's name in the running binary.
//     - A binary without it stops before the block, saying which upgrade
//     it needs and what the plan's info says to run; it writes the plan
//     to <home>/data/app/upgrade-info.json for supervisors. Nothing of the
//     block is executed or committed, so no node forks: the chain waits
//     until a quorum of validators runs the new binary.
//     - A binary with it migrates the state in place (deterministically:
//     it is part of the block), records the upgrade as applied, raises
//     the state version and executes the block under the new rules.
//  3. A binary whose state version differs from the state's refuses to
//     execute blocks: a new binary started before the upgrade height, or
//     an old one started after it, says which version to run.
//
// The state version starts at 1 (the layout of the first release, which
// had no upgrade module: its absence means 1). Info reports it to CometBFT
// as the app version.
//
// Key layout under "upgrade/":
//
//	plan            -> Plan (the scheduled upgrade, if any)
//	version         -> state version (8-byte big-endian; absent: 1)
//	applied/<name>  -> Applied
//
// query.go answers service jcredit.upgrade.v1.Query at /upgrade/<rpc>:
// Plan and Applied (provable), AppliedUpgrades (a paged list, by name) and
// Version.
package upgrade
