package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/keys"
)

const flagLightKDF = "light-kdf"

func keysDir(cmd *cobra.Command) string {
	if d, _ := cmd.Flags().GetString(flagKeysDir); d != "" {
		return d
	}
	return node.KeysDir(homeDir(cmd))
}

func keyring(cmd *cobra.Command) *keys.Keyring {
	k := keys.New(keysDir(cmd))
	k.LightKDF, _ = cmd.Flags().GetBool(flagLightKDF)
	return k
}

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage account keys (encrypted go-ethereum keystore files in <home>/keys)",
		Long: `Account keys are secp256k1 keys stored as go-ethereum keystore files (Web3
Secret Storage: scrypt + AES), one per key, <home>/keys/<name>.json, readable by
standard Ethereum tools. The passphrase comes from --passphrase-file, the
JCREDIT_PASSPHRASE environment variable, or a prompt.`,
	}
	cmd.AddCommand(newKeysAddCmd(), newKeysListCmd(), newKeysShowCmd(), newKeysImportCmd())
	return cmd
}

func addKDFFlag(cmd *cobra.Command) {
	cmd.Flags().Bool(flagLightKDF, false, "cheaper scrypt parameters (fast, weaker): only for test networks")
}

func printKey(cmd *cobra.Command, info keys.Info, verb string) error {
	return emit(cmd, info, func(w io.Writer) {
		if verb != "" {
			fmt.Fprintf(w, "%s key %q\n", verb, info.Name)
		}
		fmt.Fprintf(w, "name:    %s\naddress: %s\nfile:    %s\n", info.Name, info.Address.Hex(), info.File)
	})
}

func newKeysAddCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add <name>",
		Short: "Create a new random key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := keys.ValidateName(args[0]); err != nil {
				return err
			}
			pass, err := newPassphrase(cmd, "Passphrase for the new key: ")
			if err != nil {
				return err
			}
			info, err := keyring(cmd).Add(args[0], pass)
			if err != nil {
				return err
			}
			return printKey(cmd, info, "created")
		},
	}
	addPassphraseFlag(cmd)
	addKDFFlag(cmd)
	return cmd
}

func newKeysListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the keys (no passphrase needed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := keyring(cmd).List()
			if err != nil {
				return err
			}
			if list == nil {
				list = []keys.Info{}
			}
			return emit(cmd, list, func(w io.Writer) {
				if len(list) == 0 {
					fmt.Fprintf(w, "no keys in %s (create one with: jcreditd keys add <name>)\n", keysDir(cmd))
				}
				for _, k := range list {
					fmt.Fprintf(w, "%-20s %s\n", k.Name, k.Address.Hex())
				}
			})
		},
	}
}

func newKeysShowCmd() *cobra.Command {
	var addrOnly bool
	cmd := &cobra.Command{
		Use:   "show <name|address>",
		Short: "Show a key's address and file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			info, err := keyring(cmd).Show(args[0])
			if err != nil {
				return err
			}
			if addrOnly && !isJSON(cmd) {
				fmt.Fprintln(cmd.OutOrStdout(), info.Address.Hex())
				return nil
			}
			return printKey(cmd, info, "")
		},
	}
	cmd.Flags().BoolVarP(&addrOnly, "address", "a", false, "print only the address")
	return cmd
}

func newKeysImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import <name> <hex private key | keystore file>",
		Short: "Import a hex private key, or an existing keystore file (kept as it is)",
		Long: `Import a key under <name>. The second argument is either a path to a go-ethereum
keystore file (checked with its passphrase and copied unchanged, so the
passphrase stays the same) or a hex secp256k1 private key (encrypted with the
passphrase given now). A private key on the command line stays in the shell
history: prefer a keystore file, or clear the history afterwards.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, src := args[0], args[1]
			if err := keys.ValidateName(name); err != nil {
				return err
			}
			if bz, err := os.ReadFile(src); err == nil {
				pass, err := passphrase(cmd, "Passphrase of the keystore file: ", false)
				if err != nil {
					return err
				}
				info, err := keyring(cmd).ImportKeystore(name, bz, pass)
				if err != nil {
					return err
				}
				return printKey(cmd, info, "imported")
			}
			pass, err := newPassphrase(cmd, "Passphrase for the imported key: ")
			if err != nil {
				return err
			}
			info, err := keyring(cmd).ImportHex(name, src, pass)
			if err != nil {
				return fmt.Errorf("%q is not a readable file, so it was taken as a hex private key: %w", src, err)
			}
			return printKey(cmd, info, "imported")
		},
	}
	addPassphraseFlag(cmd)
	addKDFFlag(cmd)
	return cmd
}
