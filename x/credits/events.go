package credits

// Event types the module emits, one per change, so that CometBFT's indexer
// can find every movement of a credit. Indexed attributes:
//
//	credits.batch       batch, project, report                  a batch was created
//	credits.issue       batch, account, serials                 a recipient's block of a new batch
//	credits.transfer    batch, sender, recipient, serials       a block changed hands
//	credits.retire      retirement_id, account, batch, serials  a block was retired
//	credits.retirement  retirement_id, account, beneficiary,    the retirement record (one per retirement)
//	                    beneficiary_account, use, fiscal_year
//	credits.cancel      cancellation_id, account, batch, serials  a block was cancelled (account: its holder)
//	credits.label       batch, label, action, ministry          a batch's label was added, changed or removed
//	credits.import      batch, scheme, certification_number     a J-VER / 国内クレジット batch was imported
//	credits.use_table   version, proposal                       a new use table is in force
//	credits.lock        lock_id, account, agent, batch, serials a block was locked for a settlement agent
//	credits.unlock      lock_id, account, agent, batch, serials, a lock's block left it: outcome settled
//	                    outcome (, buyer)                       (to buyer), released, expired or cancelled
//
// "serials" is always the canonical block string (serial.go), and
// "quantity" (not indexed) its size.
const (
	EventBatch      = "credits.batch"
	EventIssue      = "credits.issue"
	EventTransfer   = "credits.transfer"
	EventRetire     = "credits.retire"
	EventRetirement = "credits.retirement"
	EventCancel     = "credits.cancel"
	EventLabel      = "credits.label"
	EventImport     = "credits.import"
	EventUseTable   = "credits.use_table"
	EventLock       = "credits.lock"
	EventUnlock     = "credits.unlock"
	EventOffer      = "credits.offer"
	EventWithdraw   = "credits.offer_withdrawn"
)
