package module

import (
	"encoding/json"

	abci "github.com/cometbft/cometbft/abci/types"
)

// Module is what the app needs from each module. The app calls the methods
// in a fixed order (modules in the order given to app.New), never
// concurrently.
type Module interface {
	// Name is the module's codespace, store prefix ("<name>/"), genesis key
	// and query route.
	Name() string
	// RegisterMsgs adds the module's message handlers to r.
	RegisterMsgs(r *Router)
	// InitGenesis loads the module's part of the genesis app_state (raw is
	// nil when absent) and must reject an invalid one with a clear error.
	InitGenesis(ctx Context, raw json.RawMessage) error
	// ExportGenesis writes the module's whole state in s (a committed
	// height, read-only) as its genesis: InitGenesis of the result, at the
	// next height, must write back exactly the same keys and values. Every
	// record keeps its id, number, heights and history; records are listed
	// in store-key order and encoded by MarshalGenesis, so that the same
	// state always gives the same bytes. See doc.go, "Export".
	ExportGenesis(s KVStore) (json.RawMessage, error)
	// RegisterQueries adds a handler for every rpc of the module's proto
	// `service Query` to r (r.Service(name, desc), then RegisterQuery or
	// RegisterRecordQuery per rpc; see query.go).
	RegisterQueries(r *QueryRouter)
}

// EndBlocker is implemented by modules that act at the end of every block
// (expiring proposals, changing the validator set).
type EndBlocker interface {
	EndBlock(ctx Context) ([]abci.ValidatorUpdate, error)
}

// LastCommitRecorder is implemented by a module that keeps track of which
// validators sign (x/accounts: the validator-change rules count only live
// validators). At the start of every block, before its transactions, the
// app hands over the block's DecidedLastCommit votes: the validators of the
// previous block's set and whether each signed it. The votes are part of
// the block, the same on every node, so the record is deterministic.
type LastCommitRecorder interface {
	RecordLastCommit(ctx Context, votes []abci.VoteInfo)
}

// GenesisValidatorsSetter is implemented by a module that needs the genesis
// validators CometBFT passes to InitChain (genesis.json's validators). The
// app calls SetGenesisValidators just before the module's InitGenesis.
type GenesisValidatorsSetter interface {
	SetGenesisValidators(vals []abci.ValidatorUpdate)
}

// GenesisValidatorsExporter is implemented by the module that keeps the
// validator set (x/accounts): an export's genesis.json lists these as its
// validators, matching what the module's exported genesis names.
type GenesisValidatorsExporter interface {
	ExportValidators(s KVStore) ([]abci.ValidatorUpdate, error)
}

// QueryContext is a read-only view of committed state at one height.
type QueryContext struct {
	Store  KVStore // the whole state at Height; writes panic
	Height int64

	// fingerprint identifies the query being answered apart from its page
	// position (Fingerprint); NewPage puts it in cursors.
	fingerprint []byte
}

// QueryResult is a query's answer. Value is the response in the read
// side's JSON style (MarshalJSON). Key, when set, is the full store key
// whose committed value is the response's field 1: with prove=true the app
// attaches an ICS23 proof of that key, so a client can check the answer
// against the app hash.
type QueryResult struct {
	Value []byte
	Key   []byte
}

// ErrNotFound and ErrBadQuery are the query errors shared by all modules.
var (
	ErrBadQuery = &Error{Codespace: "query", Code: 2, Desc: "bad query"}
	ErrNotFound = &Error{Codespace: "query", Code: 3, Desc: "not found"}
)
