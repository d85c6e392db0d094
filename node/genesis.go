package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// DefaultValidatorPower is the voting power each genesis validator gets.
// All validators are equal in a permissioned registry.
const DefaultValidatorPower = 10

// GenesisFile is <home>/config/genesis.json.
func GenesisFile(home string) string { return DefaultConfig(home, "").GenesisFile() }

// GenesisValidator names one validator of a new chain.
type GenesisValidator struct {
	Name   string
	PubKey crypto.PubKey
	Power  int64 // 0 means DefaultValidatorPower
}

// ConsensusParams are the consensus parameters of a new chain: CometBFT's
// defaults with block.max_gas set to the app's block gas limit
// (app.DefaultBlockMaxGas), so that CometBFT's mempool reaps, and
// proposals carry, no more work than the app allows in one block.
func ConsensusParams() *types.ConsensusParams {
	p := types.DefaultConsensusParams()
	p.Block.MaxGas = app.DefaultBlockMaxGas
	return p
}

// NewGenesis builds the genesis document of a new chain: the consensus
// parameters of ConsensusParams, the given validators, and an app_state with an
// (empty) entry for the accounts module, to be filled by
// AddGenesisAccount. genesisTime is when the chain starts; the zero time
// means now (tools, not the state machine, call this).
func NewGenesis(chainID string, genesisTime time.Time, vals []GenesisValidator) (*types.GenesisDoc, error) {
	if genesisTime.IsZero() {
		genesisTime = time.Now().UTC().Round(time.Millisecond)
	}
	appState, err := json.Marshal(app.GenesisState{accounts.ModuleName: json.RawMessage(`{}`)})
	if err != nil {
		return nil, err
	}
	doc := &types.GenesisDoc{
		GenesisTime:     genesisTime,
		ChainID:         chainID,
		InitialHeight:   1,
		ConsensusParams: ConsensusParams(),
		AppState:        appState,
	}
	for _, v := range vals {
		power := v.Power
		if power == 0 {
			power = DefaultValidatorPower
		}
		doc.Validators = append(doc.Validators, types.GenesisValidator{
			Address: v.PubKey.Address(), PubKey: v.PubKey, Power: power, Name: v.Name,
		})
	}
	if err := doc.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	return doc, nil
}

// ReadGenesis reads and checks <home>/config/genesis.json.
func ReadGenesis(home string) (*types.GenesisDoc, error) {
	doc, err := types.GenesisDocFromFile(GenesisFile(home))
	if err != nil {
		return nil, fmt.Errorf("read genesis: %w", err)
	}
	return doc, nil
}

// WriteGenesis writes doc to <home>/config/genesis.json.
func WriteGenesis(home string, doc *types.GenesisDoc) error {
	if err := ensureDirs(home); err != nil {
		return err
	}
	if err := doc.ValidateAndComplete(); err != nil {
		return fmt.Errorf("genesis: %w", err)
	}
	return doc.SaveAs(GenesisFile(home))
}

// GenesisAccounts returns the accounts module's genesis state from doc.
func GenesisAccounts(doc *types.GenesisDoc) (*accountsv1.GenesisState, error) {
	var state app.GenesisState
	if len(doc.AppState) > 0 {
		if err := json.Unmarshal(doc.AppState, &state); err != nil {
			return nil, fmt.Errorf("genesis app_state is not a JSON object: %w", err)
		}
	}
	g := &accountsv1.GenesisState{}
	if raw := state[accounts.ModuleName]; len(raw) > 0 {
		if err := protojson.Unmarshal(raw, g); err != nil {
			return nil, fmt.Errorf("genesis app_state.%s: %w", accounts.ModuleName, err)
		}
	}
	return g, nil
}

// SetGenesisAccounts validates g in full (as InitChain will) and stores it
// in doc's app_state, leaving the other modules' entries as they are.
func SetGenesisAccounts(doc *types.GenesisDoc, g *accountsv1.GenesisState) error {
	if err := accounts.ValidateGenesis(proto.Clone(g).(*accountsv1.GenesisState)); err != nil {
		return err
	}
	return setAccounts(doc, g)
}

// AddGenesisAccount appends acc to the accounts of the genesis in home and
// rewrites the file. The account is checked as InitChain will check it
// (address, name, kind, country, roles; no duplicate address), so a bad
// genesis is caught here rather than when the node first starts.
func AddGenesisAccount(home string, acc *accountsv1.Account) error {
	doc, err := ReadGenesis(home)
	if err != nil {
		return err
	}
	if err := AddAccountToGenesis(doc, acc); err != nil {
		return err
	}
	return WriteGenesis(home, doc)
}

// AddAccountToGenesis is AddGenesisAccount on a document in memory (for
// tools that write one genesis and copy it to many homes). The account's
// address is stored checksummed and its roles sorted. Accounts may be
// added in any order: the rule that some account holds the secretariat
// role is checked by ValidateGenesisFile (and InitChain), not here.
func AddAccountToGenesis(doc *types.GenesisDoc, acc *accountsv1.Account) error {
	g, err := GenesisAccounts(doc)
	if err != nil {
		return err
	}
	added := proto.Clone(acc).(*accountsv1.Account)
	check := proto.Clone(g).(*accountsv1.GenesisState)
	check.Accounts = append(check.Accounts, added)
	ck := withSecretariatIfMissing(check)
	if err := accounts.ValidateGenesis(ck); err != nil {
		return err
	}
	added = ck.Accounts[len(check.Accounts)-1]
	// ValidateGenesis normalised added in place; keep the quorum unset so
	// that its default follows the final number of ministries, and the
	// account number unset: accounts are numbered in genesis order when the
	// chain starts, so the file need not repeat it.
	added.Number = 0
	g.Accounts = append(g.Accounts, added)
	return setAccounts(doc, g)
}

func setAccounts(doc *types.GenesisDoc, g *accountsv1.GenesisState) error {
	state := app.GenesisState{}
	if len(doc.AppState) > 0 {
		if err := json.Unmarshal(doc.AppState, &state); err != nil {
			return fmt.Errorf("genesis app_state is not a JSON object: %w", err)
		}
	}
	raw, err := protojson.Marshal(g)
	if err != nil {
		return err
	}
	state[accounts.ModuleName] = raw
	// encoding/json sorts map keys, so the file is stable.
	doc.AppState, err = json.Marshal(state)
	return err
}

// ValidateGenesisFile checks the genesis in home the way the node will use
// it: CometBFT's checks, the accounts module's rules in full, and that
// every genesis.json validator has an operator, with advice on the fix.
func ValidateGenesisFile(home string) error {
	doc, err := ReadGenesis(home)
	if err != nil {
		return err
	}
	g, err := GenesisAccounts(doc)
	if err != nil {
		return err
	}
	if len(g.Accounts) == 0 {
		return errors.New("app_state.accounts has no accounts, so nobody could ever sign a transaction; " +
			"add at least a secretariat: jcreditd genesis add-account <address|key> --name ... --kind corporation --country JP --roles secretariat")
	}
	if err := accounts.ValidateGenesis(g); err != nil {
		return err
	}
	for _, gv := range doc.Validators {
		if op, _ := ValidatorOperator(doc, gv.PubKey); op == "" {
			return fmt.Errorf("genesis validator %s (%X) has no operator account in app_state.accounts.validators; "+
				"add an account with the secretariat, ministry or provider role to the genesis of its home (jcreditd genesis add-account) "+
				"or run: jcreditd genesis set-operator <address|key>", gv.Name, gv.Address)
		}
	}
	return nil
}

// timeZero asks NewGenesis for the current time.
var timeZero time.Time

// operatorRoles are the roles whose holders may run a validator (the
// accounts module enforces the same list at genesis).
var operatorRoles = []accountsv1.Role{
	accountsv1.Role_ROLE_MINISTRY, accountsv1.Role_ROLE_SECRETARIAT, accountsv1.Role_ROLE_PROVIDER,
}

// CanOperateValidator reports whether acc's roles allow it to run a
// validator node.
func CanOperateValidator(acc *accountsv1.Account) bool {
	for _, r := range acc.Roles {
		for _, o := range operatorRoles {
			if r == o {
				return true
			}
		}
	}
	return false
}

// SetValidatorOperator records in doc's app_state that the account at
// operator runs the genesis validator with pubKey: the accounts module
// requires every genesis.json validator to be named in
// app_state.accounts.validators with its operator and the same power.
// An existing entry for the key is replaced.
func SetValidatorOperator(doc *types.GenesisDoc, pubKey crypto.PubKey, operator string) error {
	var gv *types.GenesisValidator
	for i := range doc.Validators {
		if bytes.Equal(doc.Validators[i].PubKey.Bytes(), pubKey.Bytes()) {
			gv = &doc.Validators[i]
		}
	}
	if gv == nil {
		return fmt.Errorf("validator %X is not among genesis.json's validators", pubKey.Address())
	}
	g, err := GenesisAccounts(doc)
	if err != nil {
		return err
	}
	v := &accountsv1.Validator{
		PubKey: pubKey.Bytes(), PubKeyType: pubKey.Type(), Power: gv.Power, Operator: operator, Name: gv.Name,
	}
	replaced := false
	for i, old := range g.Validators {
		if bytes.Equal(old.PubKey, v.PubKey) {
			g.Validators[i], replaced = v, true
		}
	}
	if !replaced {
		g.Validators = append(g.Validators, v)
	}
	if err := accounts.ValidateGenesis(withSecretariatIfMissing(g)); err != nil {
		return err
	}
	return setAccounts(doc, g)
}

// ValidatorOperator returns the operator recorded for pubKey in doc's
// app_state, or "" if none is.
func ValidatorOperator(doc *types.GenesisDoc, pubKey crypto.PubKey) (string, error) {
	g, err := GenesisAccounts(doc)
	if err != nil {
		return "", err
	}
	for _, v := range g.Validators {
		if bytes.Equal(v.PubKey, pubKey.Bytes()) {
			return v.Operator, nil
		}
	}
	return "", nil
}

// HomeValidator returns the public key of the validator whose key is in
// home (config/priv_validator_key.json).
func HomeValidator(home string) (crypto.PubKey, error) {
	c := DefaultConfig(home, "")
	if _, err := os.Stat(c.PrivValidatorKeyFile()); err != nil {
		return nil, fmt.Errorf("no validator key in %s: %w", home, err)
	}
	return privval.LoadFilePVEmptyState(c.PrivValidatorKeyFile(), c.PrivValidatorStateFile()).GetPubKey()
}

// withSecretariatIfMissing returns a copy of g with a throw-away
// secretariat account if no account holds that role, so that the other
// genesis rules can be checked on a genesis that is still being written.
func withSecretariatIfMissing(g *accountsv1.GenesisState) *accountsv1.GenesisState {
	c := proto.Clone(g).(*accountsv1.GenesisState)
	for _, a := range c.Accounts {
		for _, r := range a.Roles {
			if r == accountsv1.Role_ROLE_SECRETARIAT {
				return c
			}
		}
	}
	c.Accounts = append(c.Accounts, &accountsv1.Account{
		Address: "0x000000000000000000000000000000000000dead", LegalName: "check",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT, Country: "JP",
		Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT},
	})
	return c
}
