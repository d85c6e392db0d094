package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
)

const (
	flagFrom          = "from"
	flagNoWait        = "no-wait"
	flagMemo          = "memo"
	flagTimeout       = "timeout"
	flagNonce         = "nonce"
	flagGas           = "gas"
	flagTimeoutHeight = "timeout-height"
)

// newTxCmd is the parent of every transaction command. Each module adds
// its subcommand with ONE line in the AddCommand list below.
func newTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tx",
		Short: "Sign and send a transaction; by default wait until it is committed",
		Long: `Sign a transaction with the key --from (a key name or address in <home>/keys),
send it to --node, and wait until a block includes it. Prints the transaction
hash, the block height and the result code and log. Exit status 1 if the
transaction is rejected, at CheckTx or in the block.

A transaction with the signer's next nonce is spent once it is in a block,
even if it fails there: to try again, send a new transaction (a new nonce),
never the same bytes. --gas raises the transaction's gas limit (a transfer
of many serial blocks needs more than the default); --gas auto dry-runs the
transaction on the node first (nothing signed or spent) and sets the limit
to 1.3 times the gas it used, and sends nothing if the dry run refuses it;
--timeout-height makes it void after that block height.`,
	}
	pf := cmd.PersistentFlags()
	pf.String(flagFrom, "", "signing key: a key name or address in <home>/keys (required)")
	pf.Bool(flagNoWait, false, "return once the mempool accepts the transaction, without waiting for a block")
	pf.String(flagMemo, "", "free-text memo stored with the transaction")
	pf.Duration(flagTimeout, client.DefaultCommitTimeout, "how long to wait for the commit")
	pf.Int64(flagNonce, -1, "signer nonce to use (default: the next one in committed state; set it to queue several --no-wait transactions)")
	pf.String(flagGas, "0", "gas limit of the transaction: a number (0: the app's default), or auto (dry-run it first and use 1.3 times the gas it uses); the result reports the gas used")
	pf.Uint64(flagTimeoutHeight, 0, "last block height the transaction may execute at (0: no limit)")
	pf.String(flagPassphraseFile, "", "read the key passphrase from the first line of this file (else $"+EnvPassphrase+", else a prompt)")

	cmd.AddCommand(
		newTxAccountsCmd(),
		newTxProjectsCmd(),
		newTxCreditsCmd(),
		// One line per module: newTxProjectsCmd(), newTxCreditsCmd(), ...
	)
	return cmd
}

// broadcastMsgs signs msgs with the --from key and sends them as one
// transaction: it fetches the signer's nonce and (unless --chain-id is
// given) the chain id from the node, signs with app/tx, broadcasts, waits
// for the commit unless --no-wait, and prints the result. A rejected
// transaction is printed and returned as an error.
func broadcastMsgs(cmd *cobra.Command, msgs ...proto.Message) error {
	from, _ := cmd.Flags().GetString(flagFrom)
	if from == "" {
		return errors.New("--from is required: the name or address of the signing key (see jcreditd keys list)")
	}
	ring := keyring(cmd)
	info, err := ring.Show(from)
	if err != nil {
		return err
	}
	timeout, _ := cmd.Flags().GetDuration(flagTimeout)
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	c, err := newClient(cmd)
	if err != nil {
		return err
	}

	// Ask the node first: no point typing a passphrase for a signer it
	// will refuse.
	nodeChain, err := c.ChainID(ctx)
	if err != nil {
		return err
	}
	chainID, _ := cmd.Flags().GetString(flagChainID)
	if chainID != "" && chainID != nodeChain {
		return fmt.Errorf("--chain-id %s, but the node at --node runs %s", chainID, nodeChain)
	}
	var nonce uint64
	if n, _ := cmd.Flags().GetInt64(flagNonce); n >= 0 {
		nonce = uint64(n)
	} else if nonce, err = c.Nonce(ctx, info.Address); err != nil {
		return err
	}
	memo, _ := cmd.Flags().GetString(flagMemo)
	timeoutHeight, _ := cmd.Flags().GetUint64(flagTimeoutHeight)
	b := tx.Body{ChainID: nodeChain, Nonce: nonce, Memo: memo, TimeoutHeight: timeoutHeight}
	if b.GasLimit, err = gasLimit(ctx, cmd, c, b, info.Address.Hex(), msgs); err != nil {
		return err
	}

	pass, err := passphrase(cmd, fmt.Sprintf("Passphrase for key %q: ", info.Name), false)
	if err != nil {
		return err
	}
	key, _, err := ring.Key(from, pass)
	if err != nil {
		return err
	}
	body, err := b.Build(msgs...)
	if err != nil {
		return err
	}
	raw, err := tx.Sign(body, key)
	if err != nil {
		return err
	}

	noWait, _ := cmd.Flags().GetBool(flagNoWait)
	var res *client.Result
	if noWait {
		res, err = c.BroadcastAsync(ctx, raw)
	} else {
		res, err = c.Broadcast(ctx, raw)
	}
	var te *client.TxError
	if err != nil && !errors.As(err, &te) {
		return err
	}
	if perr := printTxResult(cmd, res, noWait); perr != nil {
		return perr
	}
	if te != nil {
		return fmt.Errorf("transaction rejected: %s/%d: %s", te.Result.Codespace, te.Result.Code, te.Result.Log)
	}
	return nil
}

// AutoGasFactor is what --gas auto multiplies a dry run's gas by: the
// state may change between the dry run and the block (another range split,
// another index entry), and a transaction that runs out of gas still
// spends its nonce.
const AutoGasFactor = 1.3

// gasLimit reads --gas: a number, or auto, which dry-runs body b with msgs
// as signer at the largest limit and returns AutoGasFactor times the gas
// it used (at most app.MaxTxGas). A dry run that refuses the transaction
// is printed and returned as an error: sent, it would fail and spend its
// nonce.
func gasLimit(ctx context.Context, cmd *cobra.Command, c *client.Client, b tx.Body, signer string, msgs []proto.Message) (uint64, error) {
	flag, _ := cmd.Flags().GetString(flagGas)
	if flag != "auto" {
		n, err := strconv.ParseUint(flag, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("--gas %q: give a number (0: the app's default) or auto", flag)
		}
		return n, nil
	}
	b.GasLimit = app.MaxTxGas
	body, err := b.Build(msgs...)
	if err != nil {
		return 0, err
	}
	st, err := c.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("--gas auto: ask the node for its latest block: %w", err)
	}
	ans, err := simulateBody(ctx, c, body, signer, st.SyncInfo.LatestBlockTime)
	if err != nil {
		return 0, fmt.Errorf("--gas auto: dry run: %w", err)
	}
	if !ans.OK {
		if err := printSimulation(cmd, ans); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("not sent: the dry run for --gas auto refuses the transaction (%s/%d); sent, it would fail and spend its nonce", ans.Codespace, ans.Code)
	}
	gas := min(uint64(math.Ceil(float64(ans.GasUsed)*AutoGasFactor)), app.MaxTxGas)
	fmt.Fprintf(cmd.ErrOrStderr(), "gas: a dry run used %d; the limit is %d\n", ans.GasUsed, gas)
	return gas, nil
}

func printTxResult(cmd *cobra.Command, res *client.Result, noWait bool) error {
	return emit(cmd, res, func(w io.Writer) {
		fmt.Fprintf(w, "tx hash: %s\n", res.Hash)
		switch {
		case res.Height > 0:
			fmt.Fprintf(w, "height:  %d\n", res.Height)
		case noWait && res.OK():
			fmt.Fprintln(w, "height:  (not waited for; accepted into the mempool)")
		default:
			fmt.Fprintln(w, "height:  (not in a block: rejected by CheckTx)")
		}
		if res.OK() {
			fmt.Fprintln(w, "code:    0 (ok)")
		} else {
			fmt.Fprintf(w, "code:    %d (%s)\n", res.Code, res.Codespace)
		}
		if res.Log != "" {
			fmt.Fprintf(w, "log:     %s\n", res.Log)
		}
		if res.GasWanted > 0 {
			fmt.Fprintf(w, "gas:     %d used of %d\n", res.GasUsed, res.GasWanted)
		}
		for _, e := range res.Events {
			if e.Type == "tx" {
				continue
			}
			fmt.Fprintf(w, "event:   %s", e.Type)
			for _, a := range e.Attributes {
				fmt.Fprintf(w, " %s=%s", a.Key, a.Value)
			}
			fmt.Fprintln(w)
		}
	})
}
