package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/proof"
)

// NewVerifyCmd is `jcreditd verify proof.json --trust ...`: fully offline.
// It exits 0 only when every step passes; otherwise it names the step that
// failed and why.
func NewVerifyCmd() *cobra.Command {
	var trustArg, output, chainID string
	cmd := &cobra.Command{
		Use:   "verify <proof.json|->",
		Short: "Verify a proof bundle offline against a trusted validator set",
		Long: `Verify a proof bundle without any network access. --trust is the root of trust:
the chain's genesis.json, a validator set the registry published (CometBFT's
/validators answer, the API's /api/v1/trust answer, or a JSON list), or the
validator-set hash in hex. A published set or a hash does not name a chain:
give --chain-id with it. A recent published set is a stronger root than the
genesis (SECURITY.md). A bundle is never its own trust root.

Steps: format, header, validators, commit, trust, proof, record. On success
it prints what the bundle proves, as of the proven state, the trust root and
every header it walked; on failure the failing step and exit code 1.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if trustArg == "" {
				return fmt.Errorf("--trust is required: a genesis.json, a validators file, or a validator-set hash")
			}
			if args[0] != "-" && sameFile(args[0], trustArg) {
				cmd.SilenceUsage = true
				return fmt.Errorf("NOT VERIFIED: %w", &proof.StepError{Step: proof.StepTrust,
					Err: fmt.Errorf("--trust %s is the bundle itself: a bundle cannot vouch for itself; trust the chain's genesis.json or a validator set the registry published", trustArg)})
			}
			// A trust root that cannot be used fails the trust step, as in
			// the page's verifier.
			trustFails := func(err error) error {
				cmd.SilenceUsage = true
				return fmt.Errorf("NOT VERIFIED: %w", &proof.StepError{Step: proof.StepTrust, Err: err})
			}
			trust, err := loadTrust(trustArg)
			if err != nil {
				return trustFails(err)
			}
			// The same validators may sign several chains (a test network):
			// a genesis file pins the chain id; otherwise --chain-id must.
			if chainID != "" {
				if trust.ChainID != "" && trust.ChainID != chainID {
					return trustFails(fmt.Errorf("--chain-id %s contradicts the trust root's chain %s", chainID, trust.ChainID))
				}
				trust.ChainID = chainID
			}
			if trust.ChainID == "" {
				return trustFails(fmt.Errorf("--trust %s names no chain (a validator set or its hash can sign blocks of several chains): give --chain-id too", trustArg))
			}
			raw, err := readArg(cmd, args[0])
			if err != nil {
				return err
			}
			res, err := proof.VerifyJSON(raw, trust)
			if err != nil {
				cmd.SilenceUsage = true
				return fmt.Errorf("NOT VERIFIED: %w", err)
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			writeVerdict(out, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&trustArg, "trust", "", "trust root: genesis.json, a published validators file, or a validator-set hash (hex)")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	cmd.Flags().StringVar(&chainID, "chain-id", "", "the chain the trust root is for (required with a validators file or hash; implied by a genesis.json)")
	return cmd
}

// writeVerdict prints a verified result for people: the statement first
// (what is proven, as of when), then how it was established.
func writeVerdict(out io.Writer, res *proof.Result) {
	fmt.Fprintf(out, "VERIFIED: %s\n", res.Statement)
	fmt.Fprintf(out, "  chain %s, state %d (state version %d), bundle format %s\n", res.ChainID, res.Height, res.StateVersion, res.Format)
	fmt.Fprintf(out, "  block %d at %s commits app hash %X\n", res.BlockHeight, proof.FormatTime(res.BlockTime), []byte(res.AppHash))
	fmt.Fprintf(out, "  trust root: %s\n", res.Trust.Describe())
	fmt.Fprintf(out, "  headers checked (%d; every signature of each):\n", len(res.Walk))
	for i, l := range res.Walk {
		what := ""
		switch l.How {
		case "trust root":
			what = "signed by the trusted set"
		case "adjacent":
			what = "named as the next set by the header before"
		case "skip":
			what = fmt.Sprintf("%d of the previous set's %d power signed it", l.TrustedSigned, l.TrustedPower)
		case "before root":
			what = "checked, not needed (the trust root comes later)"
		}
		last := ""
		if i == len(res.Walk)-1 {
			last = " <- the proven block"
		}
		fmt.Fprintf(out, "    block %-8d %s  set %X… %d validators, %d of %d power signed: %s%s\n",
			l.Block, proof.FormatTime(l.Time), []byte(l.ValidatorsHash)[:6], l.Validators, l.SignedPower, l.Power, what, last)
	}
	entries := append([]proof.Entry{{Exists: res.Exists, Key: res.Key, Record: res.Record}}, res.Also...)
	for i, e := range entries {
		if len(e.Record) == 0 {
			continue
		}
		label := "record"
		if i > 0 {
			label = "also proven"
		}
		var buf bytes.Buffer
		if json.Indent(&buf, e.Record, "  ", "  ") == nil {
			fmt.Fprintf(out, "  %s: %s\n", label, buf.String())
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(out, "WARNING: %s\n", w)
	}
}

// loadTrust reads --trust: a file, or the hash itself.
func loadTrust(arg string) (*proof.Trust, error) {
	if raw, err := readLimited(arg, proof.MaxTrustBytes); err == nil {
		return proof.ParseTrust(raw)
	} else if !os.IsNotExist(err) || strings.ContainsAny(arg, "/.") {
		return nil, fmt.Errorf("--trust %s: %w", arg, err)
	}
	return proof.ParseTrust([]byte(arg))
}

func readArg(cmd *cobra.Command, arg string) ([]byte, error) {
	if arg == "-" {
		return io.ReadAll(io.LimitReader(cmd.InOrStdin(), proof.MaxBundleBytes+1))
	}
	return readLimited(arg, proof.MaxBundleBytes)
}

// readLimited reads at most limit+1 bytes (enough for the verifier to say
// the file is too large) without loading a huge file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// sameFile reports whether two arguments name the same file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}
