package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// EnvPassphrase supplies the key passphrase to scripts.
const EnvPassphrase = "JCREDIT_PASSPHRASE"

const flagPassphraseFile = "passphrase-file"

func addPassphraseFlag(cmd *cobra.Command) {
	cmd.Flags().String(flagPassphraseFile, "", "read the key passphrase from the first line of this file (else $"+EnvPassphrase+", else a prompt)")
}

// passphrase returns the key passphrase from, in order: --passphrase-file,
// $JCREDIT_PASSPHRASE, a prompt on the terminal (twice if confirm), or the
// first line of standard input when it is not a terminal.
func passphrase(cmd *cobra.Command, prompt string, confirm bool) (string, error) {
	if path, _ := cmd.Flags().GetString(flagPassphraseFile); path != "" {
		if err := checkPrivateFile(path); err != nil {
			return "", err
		}
		bz, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("--%s: %w", flagPassphraseFile, err)
		}
		return strings.TrimRight(strings.SplitN(string(bz), "\n", 2)[0], "\r"), nil
	}
	if p, ok := os.LookupEnv(EnvPassphrase); ok {
		return p, nil
	}
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p, err := readHidden(cmd, f, prompt)
		if err != nil {
			return "", err
		}
		if confirm {
			again, err := readHidden(cmd, f, "Repeat the passphrase: ")
			if err != nil {
				return "", err
			}
			if again != p {
				return "", errors.New("the two passphrases differ")
			}
		}
		return p, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("no passphrase: use --%s, $%s, or a terminal to type it", flagPassphraseFile, EnvPassphrase)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// newPassphrase is the passphrase of a key being created: asked twice at
// a terminal, and never empty (an empty passphrase leaves the key file as
// good as unencrypted for anyone who copies it).
func newPassphrase(cmd *cobra.Command, prompt string) (string, error) {
	p, err := passphrase(cmd, prompt, true)
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", errors.New("an empty passphrase would leave the key file unprotected: choose one (--" + flagPassphraseFile + ", $" + EnvPassphrase + " or the prompt)")
	}
	return p, nil
}

// checkPrivateFile refuses a passphrase file that users other than its
// owner can read: the passphrase is then no secret.
func checkPrivateFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("--%s: %w", flagPassphraseFile, err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("--%s %s can be read by other users (mode %04o): anyone on this machine could read the passphrase; run chmod 600 %s (or keep it where only you can read it)",
			flagPassphraseFile, path, fi.Mode().Perm(), path)
	}
	return nil
}

func readHidden(cmd *cobra.Command, f *os.File, prompt string) (string, error) {
	fmt.Fprint(cmd.ErrOrStderr(), prompt)
	bz, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(cmd.ErrOrStderr())
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	return string(bz), nil
}
