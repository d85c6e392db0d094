package keys_test

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/jcredit/jcredit/node/keys"
)

func TestKeyringRoundTrip(t *testing.T) {
	k := keys.New(filepath.Join(t.TempDir(), "keys"))
	k.LightKDF = true

	alice, err := k.Add("alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Add("alice", "pw"); !errors.Is(err, keys.ErrExists) {
		t.Fatalf("second alice: %v", err)
	}
	priv, info, err := k.Key("alice", "pw")
	if err != nil || crypto.PubkeyToAddress(priv.PublicKey) != alice.Address || info.Name != "alice" {
		t.Fatalf("decrypt: %v %v", err, info)
	}
	if _, _, err := k.Key("alice", "wrong"); !errors.Is(err, keys.ErrBadPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// By address too.
	if byAddr, err := k.Show(alice.Address.Hex()); err != nil || byAddr.Name != "alice" {
		t.Fatalf("show by address: %v %v", byAddr, err)
	}
	if _, err := k.Show("bob"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}

	// A hex import signs as the same address.
	src, _ := crypto.GenerateKey()
	bob, err := k.ImportHex("bob", "0x"+hex.EncodeToString(crypto.FromECDSA(src)), "pw2")
	if err != nil || bob.Address != crypto.PubkeyToAddress(src.PublicKey) {
		t.Fatalf("import hex: %v %v", bob, err)
	}

	// Files are standard: go-ethereum's own keystore reads the directory.
	ks := keystore.NewKeyStore(k.Dir, keystore.LightScryptN, keystore.LightScryptP)
	if !ks.HasAddress(alice.Address) || !ks.HasAddress(bob.Address) {
		t.Fatalf("go-ethereum keystore does not see our keys: %v", ks.Accounts())
	}
	// And ours reads a file it wrote (imported unchanged).
	other := keystore.NewKeyStore(t.TempDir(), keystore.LightScryptN, keystore.LightScryptP)
	carol, err := other.NewAccount("pw3")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(carol.URL.Path)
	if _, err := k.ImportKeystore("carol", raw, "nope"); !errors.Is(err, keys.ErrBadPassphrase) {
		t.Fatalf("keystore import with the wrong passphrase: %v", err)
	}
	if _, err := k.ImportKeystore("carol", raw, "pw3"); err != nil {
		t.Fatal(err)
	}

	list, err := k.List()
	if err != nil || len(list) != 3 || list[0].Name != "alice" || list[1].Name != "bob" || list[2].Name != "carol" {
		t.Fatalf("list: %v %v", list, err)
	}
}

func TestKeyNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"alice": true, "meti-1": true, "a.b_c": true,
		"": false, "-x": false, "../etc": false, "a/b": false,
		"0x00000000000000000000000000000000000000aa": false,
	} {
		if err := keys.ValidateName(name); (err == nil) != ok {
			t.Errorf("ValidateName(%q) = %v", name, err)
		}
	}
}
