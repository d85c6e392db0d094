package client

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// DefaultNode is the RPC address of a node on this machine.
const DefaultNode = "http://127.0.0.1:26657"

// DefaultCommitTimeout bounds how long Broadcast waits for a commit when the
// context has no deadline.
const DefaultCommitTimeout = 60 * time.Second

// Client is a jcredit RPC client. It is safe for concurrent use.
type Client struct {
	RPC *rpchttp.HTTP
	// URL is the RPC address the client talks to.
	URL string
	// PollInterval is how often Broadcast asks whether its transaction has
	// been committed.
	PollInterval time.Duration
}

// New returns a client for the node at url (such as DefaultNode).
func New(url string) (*Client, error) {
	if url == "" {
		url = DefaultNode
	}
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	rpc, err := rpchttp.New(url)
	if err != nil {
		return nil, fmt.Errorf("rpc client for %s: %w", url, err)
	}
	return &Client{RPC: rpc, URL: url, PollInterval: 100 * time.Millisecond}, nil
}

// ErrNotRPC is returned when the address given as the RPC address answers
// as a jcredit node's public HTTP API instead.
var ErrNotRPC = errors.New("not a CometBFT RPC address")

// explain turns the failure of an RPC call into a clearer error when the
// address is a jcredit public API (a --node pointing at port 1317
// instead of 26657 is an easy mistake: both are http://host:port).
func (c *Client) explain(err error) error {
	if err == nil {
		return nil
	}
	var qe *QueryError
	var te *TxError
	if errors.As(err, &qe) || errors.As(err, &te) || errors.Is(err, context.Canceled) {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, rerr := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.URL, "/")+"/api/v1/status", nil)
	if rerr != nil {
		return err
	}
	res, rerr := http.DefaultClient.Do(req)
	if rerr != nil {
		return err
	}
	defer res.Body.Close()
	var st struct {
		ChainID string `json:"chain_id"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&st) != nil || st.ChainID == "" {
		return err
	}
	return fmt.Errorf("%w: %s is the public HTTP API of a node of %s, not its CometBFT RPC; give --node the RPC address "+
		"(port 26657 by default: [rpc] laddr in the node's config.toml, or rpc_port in network.json)", ErrNotRPC, c.URL, st.ChainID)
}

// Result is the outcome of a committed (or rejected) transaction.
type Result struct {
	Hash      string `json:"hash"`
	Height    int64  `json:"height"`
	Code      uint32 `json:"code"`
	Codespace string `json:"codespace,omitempty"`
	Log       string `json:"log,omitempty"`
	// GasWanted is the gas the transaction reserved (its gas limit); 0 in
	// a block result means it was refused before its nonce and spent
	// nothing. GasUsed is what it used.
	GasWanted int64        `json:"gas_wanted,omitempty"`
	GasUsed   int64        `json:"gas_used,omitempty"`
	Events    []abci.Event `json:"events,omitempty"`
}

// OK reports whether the transaction was applied.
func (r *Result) OK() bool { return r.Code == abci.CodeTypeOK }

// TxError is a transaction rejected by the app: at CheckTx (Height 0, not
// in a block) or when its block executed (Height > 0: none of its messages
// took effect, but if it carried the signer's next nonce that nonce is
// spent — see the package doc).
type TxError struct{ Result Result }

func (e *TxError) Error() string {
	where := "rejected by the mempool (CheckTx)"
	if e.Result.Height > 0 {
		where = fmt.Sprintf("failed in block %d", e.Result.Height)
	}
	return fmt.Sprintf("transaction %s %s: %s/%d: %s", e.Result.Hash, where, e.Result.Codespace, e.Result.Code, e.Result.Log)
}

// BroadcastAsync submits raw through CheckTx (broadcast_tx_sync) and
// returns without waiting for a block. A CheckTx rejection is a *TxError.
func (c *Client) BroadcastAsync(ctx context.Context, raw []byte) (*Result, error) {
	res, err := c.RPC.BroadcastTxSync(ctx, raw)
	if err != nil {
		// CometBFT v1 reports a CheckTx rejection as an RPC error
		// carrying the mempool's ErrInvalidTx text.
		if r, ok := parseInvalidTx(err.Error()); ok {
			return r, &TxError{Result: *r}
		}
		return nil, c.explain(fmt.Errorf("broadcast: %w", err))
	}
	out := &Result{Hash: strings.ToUpper(hex.EncodeToString(res.Hash)), Code: res.Code, Codespace: res.Codespace, Log: res.Log}
	if res.Code != abci.CodeTypeOK {
		return out, &TxError{Result: *out}
	}
	return out, nil
}

// invalidTxRE matches CometBFT's mempool.ErrInvalidTx message.
var invalidTxRE = regexp.MustCompile(`(?s)tx ([0-9A-F]+) is invalid: code=(\d+), data=[0-9A-F]*, log='(.*)', codespace='([^']*)'`)

func parseInvalidTx(msg string) (*Result, bool) {
	m := invalidTxRE.FindStringSubmatch(msg)
	if m == nil {
		return nil, false
	}
	code, err := strconv.ParseUint(m[2], 10, 32)
	if err != nil || code == 0 {
		return nil, false
	}
	return &Result{Hash: m[1], Code: uint32(code), Log: m[3], Codespace: m[4]}, true
}

// Broadcast submits raw, fails fast if CheckTx rejects it, then waits for
// the block that includes it and returns its result. A transaction that
// committed but failed (non-zero code) is returned with a *TxError. If ctx
// has no deadline, DefaultCommitTimeout applies.
func (c *Client) Broadcast(ctx context.Context, raw []byte) (*Result, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultCommitTimeout)
		defer cancel()
	}
	res, err := c.BroadcastAsync(ctx, raw)
	if err != nil {
		return res, err
	}
	hash, _ := hex.DecodeString(res.Hash)
	return c.WaitTx(ctx, hash)
}

// WaitTx polls the node's transaction index until the transaction with
// hash is in a committed block, and returns its result.
func (c *Client) WaitTx(ctx context.Context, hash []byte) (*Result, error) {
	tick := time.NewTicker(c.PollInterval)
	defer tick.Stop()
	for {
		tx, err := c.RPC.Tx(ctx, hash, false)
		if err == nil {
			out := &Result{
				Hash: strings.ToUpper(hex.EncodeToString(tx.Hash)), Height: tx.Height,
				Code: tx.TxResult.Code, Codespace: tx.TxResult.Codespace, Log: tx.TxResult.Log, Events: tx.TxResult.Events,
				GasWanted: tx.TxResult.GasWanted, GasUsed: tx.TxResult.GasUsed,
			}
			if !out.OK() {
				return out, &TxError{Result: *out}
			}
			return out, nil
		}
		// "not found" until the block is indexed; anything else (node
		// down) is retried too until the deadline, then reported.
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("transaction %X not committed before the deadline (still in the mempool, or the node stopped): %w (last error: %v)", hash, ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// QueryError is a query the app answered with a non-zero code.
type QueryError struct {
	Path      string
	Codespace string
	Code      uint32
	Log       string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("query %s: %s/%d: %s", e.Path, e.Codespace, e.Code, e.Log)
}

// Query runs an ABCI query at height (0: latest). A non-zero answer code
// is returned as a *QueryError.
func (c *Client) Query(ctx context.Context, path string, data []byte, height int64, prove bool) (*abci.QueryResponse, error) {
	res, err := c.RPC.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: height, Prove: prove})
	if err != nil {
		return nil, c.explain(fmt.Errorf("query %s: %w", path, err))
	}
	r := res.Response
	if r.Code != abci.CodeTypeOK {
		return &r, &QueryError{Path: path, Codespace: r.Codespace, Code: r.Code, Log: r.Log}
	}
	return &r, nil
}

// ErrNoAccount is returned by Nonce for an address with no open account.
var ErrNoAccount = errors.New("no account")

// Ask runs the module query path (/<module>/<rpc>) with req as its
// request at height (0: latest) and decodes the answer into resp: the
// read side's one contract (x/module), the same JSON the public API
// serves.
func (c *Client) Ask(ctx context.Context, path string, req, resp proto.Message, height int64) (*abci.QueryResponse, error) {
	data, err := module.MarshalJSON(req)
	if err != nil {
		return nil, err
	}
	res, err := c.Query(ctx, path, data, height, false)
	if err != nil {
		return res, err
	}
	if err := module.UnmarshalJSON(res.Value, resp); err != nil {
		return res, fmt.Errorf("decode the answer to %s: %w", path, err)
	}
	return res, nil
}

// Account returns the committed account at addr.
// A new chain has no state to read until the app commits block 1 (which
// CometBFT's /status may already report as the latest), so Account waits
// for that, until ctx ends.
func (c *Client) Account(ctx context.Context, addr common.Address) (*accountsv1.Account, error) {
	var qe *QueryError
	req := &accountsv1.QueryAccountRequest{Account: addr.Hex()}
	ans := &accountsv1.QueryAccountResponse{}
	_, err := c.Ask(ctx, "/accounts/Account", req, ans, 0)
	for errors.As(err, &qe) && strings.Contains(qe.Log, "no block has been committed") {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the chain has not committed its first block yet; try again in a few seconds: %w", err)
		case <-time.After(c.PollInterval):
		}
		_, err = c.Ask(ctx, "/accounts/Account", req, ans, 0)
	}
	if errors.As(err, &qe) && qe.Codespace == module.ErrNotFound.Codespace && qe.Code == module.ErrNotFound.Code {
		return nil, fmt.Errorf("%w %s: only accounts the secretariat has opened can sign (ask it to run `jcreditd tx accounts open %s ...`)", ErrNoAccount, addr.Hex(), addr.Hex())
	}
	if err != nil {
		return nil, err
	}
	return ans.Account, nil
}

// Nonce returns the nonce addr's next transaction must carry (from the
// latest committed state): a nonce belongs to the signing key, whose
// record (accounts' Key query) holds it. An address without an account
// cannot sign, so that is an error (ErrNoAccount), not nonce 0.
func (c *Client) Nonce(ctx context.Context, addr common.Address) (uint64, error) {
	if _, err := c.Account(ctx, addr); err != nil {
		return 0, err
	}
	ans := &accountsv1.QueryKeyResponse{}
	if _, err := c.Ask(ctx, "/accounts/Key", &accountsv1.QueryKeyRequest{Address: addr.Hex()}, ans, 0); err != nil {
		return 0, err
	}
	return ans.Key.GetNonce(), nil
}

// Status is the node's /status.
func (c *Client) Status(ctx context.Context) (*ctypes.ResultStatus, error) {
	st, err := c.RPC.Status(ctx)
	return st, c.explain(err)
}

// ChainID asks the node which chain it runs.
func (c *Client) ChainID(ctx context.Context) (string, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("ask the node for its chain id: %w", err)
	}
	return st.NodeInfo.Network, nil
}
