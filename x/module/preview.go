package module

import (
	"encoding/json"

	abci "github.com/cometbft/cometbft/abci/types"
)

// Previewer is implemented by modules that can show what a simulated
// transaction would write (the app's simulate query: a dry run over the
// committed state, in a buffer that is thrown away). Preview reads the
// records the events name from s, the simulated state, and returns them
// for people, or nil when the events are none of the module's.
type Previewer interface {
	Preview(s KVStore, events []abci.Event) (json.RawMessage, error)
}
