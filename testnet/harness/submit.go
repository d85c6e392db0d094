package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
)

// Submit signs msgs as the genesis account signer (its key from
// dev-keys.json) with the next nonce the chain expects (QueryNonce: by the
// rule of the state version the chain runs), sends the transaction to a
// usable node and waits until it is in a block; it returns the committed
// result, whatever its code. A nonce taken meanwhile by another
// transaction of the same key (the load may sign with it too) is read
// again and the transaction signed anew.
func (n *Network) Submit(ctx context.Context, signer string, msgs ...proto.Message) (*coretypes.ResultTx, error) {
	key := n.Keys[signer]
	if key == nil {
		return nil, fmt.Errorf("no key for %q", signer)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
	var last error
	for attempt := 0; attempt < 8; attempt++ {
		if ctx.Err() != nil {
			break
		}
		nd := n.AnyLive()
		if nd == nil {
			last = fmt.Errorf("no usable node")
			time.Sleep(200 * time.Millisecond)
			continue
		}
		nonce, ok, err := QueryNonce(ctx, nd, addr)
		if err != nil || !ok {
			last = fmt.Errorf("nonce of %s: ok=%v %v", signer, ok, err)
			time.Sleep(200 * time.Millisecond)
			continue
		}
		body, err := tx.Build(n.Manifest.ChainID, nonce, "harness submit "+signer, msgs...)
		if err != nil {
			return nil, err
		}
		raw, err := tx.Sign(body, key)
		if err != nil {
			return nil, err
		}
		res, err := nd.Client().BroadcastTxSync(ctx, raw)
		if err != nil {
			last = err
			continue
		}
		if res.Code != 0 {
			last = fmt.Errorf("CheckTx on %s refused the transaction: code %d: %s", nd.Name, res.Code, res.Log)
			if strings.Contains(strings.ToLower(res.Log), "nonce") {
				time.Sleep(300 * time.Millisecond)
				continue
			}
			return nil, last
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			if nd := n.AnyLive(); nd != nil {
				cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
				r, err := nd.Client().Tx(cctx, tx.Hash(raw), false)
				cancel()
				if err == nil {
					if r.TxResult.Code != 0 && strings.Contains(strings.ToLower(r.TxResult.Log), "nonce") {
						break // lost a race for the nonce: sign again
					}
					return r, nil
				}
			}
			time.Sleep(200 * time.Millisecond)
		}
		last = fmt.Errorf("transaction of %s not committed within 20 s", signer)
	}
	return nil, fmt.Errorf("submit as %s: %v", signer, last)
}

// EventAttr returns the values of attribute key in events of type typ
// ("" matches any type) of a committed transaction.
func EventAttr(r *coretypes.ResultTx, typ, key string) []string {
	var out []string
	for _, ev := range r.TxResult.Events {
		if typ != "" && ev.Type != typ {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == key {
				out = append(out, a.Value)
			}
		}
	}
	return out
}
