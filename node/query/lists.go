package query

import (
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// List is one of the registry's lists: a module query that pages.
type List struct {
	// Name names the list on the command line (jcreditd export <name>)
	// and in the API (/api/v1/<name>).
	Name string
	// Module and RPC name the query answering it.
	Module, RPC string
	// Arg is the request field that the API path and the CLI argument give
	// (holdings: the account), "" if none.
	Arg string
	// Order is the list's stable order, for people.
	Order string
	// Short says what the list holds.
	Short string
}

// Method is the list's rpc.
func (l List) Method() protoreflect.MethodDescriptor {
	md, err := Method(l.Module, l.RPC)
	if err != nil {
		panic(err)
	}
	return md
}

// Path is the list's ABCI query path.
func (l List) Path() string { return Path(l.Method()) }

// Lists are every list of the registry, by name.
var Lists = []List{
	{Name: "accounts", Module: "accounts", RPC: "Accounts", Order: "account number", Short: "accounts (filters: role, status)"},
	{Name: "batches", Module: "credits", RPC: "Batches", Order: "batch number (oldest first)", Short: "credit batches with their supply (filters: project_id, category)"},
	{Name: "cancellations", Module: "credits", RPC: "Cancellations", Order: "cancellation id (oldest first)", Short: "cancellation records (filter: batch_id)"},
	{Name: "corporate-accounts", Module: "accounts", RPC: "CorporateAccounts", Arg: "corporate_number", Order: "account number", Short: "the accounts (departments) of one corporation, by its 13-digit corporate number"},
	{Name: "delegations", Module: "accounts", RPC: "Delegations", Arg: "grantor", Order: "agent account number", Short: "the delegations an account has given (actions, quantity used and allowed, expiry)"},
	{Name: "members", Module: "accounts", RPC: "Members", Arg: "account", Order: "member key address", Short: "an account's member keys: role (representative, approver, viewer), member id, label"},
	{Name: "pending-actions", Module: "accounts", RPC: "PendingActions", Arg: "account", Order: "action id (oldest first)", Short: "an account's pending actions: messages, approvals, status, expiry (filter: pending)"},
	{Name: "trusted-recipients", Module: "accounts", RPC: "TrustedRecipients", Arg: "account", Order: "recipient account number", Short: "an account's trusted recipients, each with the height from which it can receive"},
	{Name: "details-history", Module: "accounts", RPC: "DetailsHistory", Arg: "account", Order: "version (oldest first)", Short: "an account's replaced legal names, addresses and departments"},
	{Name: "label-changes", Module: "credits", RPC: "LabelChanges", Arg: "batch_id", Order: "change number", Short: "a batch's label changes, with its labels now"},
	{Name: "holdings", Module: "credits", RPC: "Holdings", Arg: "account", Order: "status, vintage, batch, first serial", Short: "an account's serial ranges (filter: status)"},
	{Name: "locks", Module: "credits", RPC: "Locks", Order: "lock id (oldest first)", Short: "settlement locks (filters: holder, agent, status)"},
	{Name: "offers", Module: "credits", RPC: "Offers", Order: "offer id (oldest first)",
		Short: "open offers of credits for sale, with what each holder can deliver now (filters: holder, batch_id, category, vintage_year, include_exhausted)"},
	{Name: "methodologies", Module: "projects", RPC: "Methodologies", Order: "code", Short: "adopted methodologies"},
	{Name: "projects", Module: "projects", RPC: "Projects", Order: "project id", Short: "projects (filters: status, operator, member, methodology, prefecture)"},
	{Name: "proposals", Module: "accounts", RPC: "Proposals", Order: "proposal id (pending: soonest to expire first)", Short: "ministry-quorum proposals (filter: pending)"},
	{Name: "reports", Module: "projects", RPC: "Reports", Order: "report id (project, then number)", Short: "monitoring reports (filters: project_id, status)"},
	{Name: "ranges", Module: "credits", RPC: "Ranges", Arg: "batch_id", Order: "first serial", Short: "a batch's serial ranges: status, holder, retirement or cancellation (filter: status)"},
	{Name: "retirements", Module: "credits", RPC: "Retirements", Order: "retirement id (oldest first)",
		Short: "retirement records (filters: account, beneficiary, beneficiary_account, use, fiscal_year, from_date, to_date, batch_id, project_id, category)"},
	{Name: "stats", Module: "credits", RPC: "Stats", Order: "the dimension's value (category, year, code)",
		Short: "statistics: issued, active, locked, retired, cancelled, retirements (dimension: total, category, vintage_year, methodology, prefecture, fiscal_year, use; filters: use, fiscal_year)"},
	{Name: "account-totals", Module: "credits", RPC: "AccountTotals", Arg: "account", Order: "use (every use first), fiscal year",
		Short: "what was retired for an account per use and fiscal year (filters: use, fiscal_year)"},
	{Name: "upgrades", Module: "upgrade", RPC: "AppliedUpgrades", Order: "name", Short: "applied software upgrades"},
	{Name: "use-tables", Module: "credits", RPC: "UseTables", Order: "version", Short: "every version of the category-by-use table"},
	{Name: "validators", Module: "accounts", RPC: "Validators", Order: "consensus key", Short: "the current validator set"},
}

// ListNamed finds a list by name.
func ListNamed(name string) (List, error) {
	for _, l := range Lists {
		if l.Name == name {
			return l, nil
		}
	}
	return List{}, fmt.Errorf("no list %q; the lists are %s", name, strings.Join(ListNames(), ", "))
}

// ListNames are the lists' names, sorted.
func ListNames() []string {
	var out []string
	for _, l := range Lists {
		out = append(out, l.Name)
	}
	sort.Strings(out)
	return out
}
