package keys

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// Sentinel errors.
var (
	ErrNotFound      = errors.New("no such key")
	ErrExists        = errors.New("a key with that name already exists")
	ErrBadName       = errors.New("bad key name")
	ErrBadPassphrase = errors.New("wrong passphrase (or a damaged key file)")
)

// Info describes a stored key without decrypting it.
type Info struct {
	Name    string         `json:"name"`
	Address common.Address `json:"address"`
	File    string         `json:"file"`
}

// Keyring is a directory of keystore files.
type Keyring struct {
	Dir string
	// LightKDF makes new files cheap to decrypt (tests, throw-away nets).
	LightKDF bool
}

// New returns the keyring in dir (created on first write).
func New(dir string) *Keyring { return &Keyring{Dir: dir} }

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateName accepts 1-64 letters, digits, '.', '_' and '-', not
// starting with a punctuation mark, and not an address.
func ValidateName(name string) error {
	if !nameRE.MatchString(name) || common.IsHexAddress(name) {
		return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '.', '_' or '-', such as alice", ErrBadName, name)
	}
	return nil
}

func (k *Keyring) path(name string) string { return filepath.Join(k.Dir, name+".json") }

func (k *Keyring) scrypt() (n, p int) {
	if k.LightKDF {
		return keystore.LightScryptN, keystore.LightScryptP
	}
	return keystore.StandardScryptN, keystore.StandardScryptP
}

// Add creates a new random key under name, encrypted with passphrase.
func (k *Keyring) Add(name, passphrase string) (Info, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return Info{}, err
	}
	return k.ImportECDSA(name, key, passphrase)
}

// ImportHex stores a hex-encoded secp256k1 private key (with or without
// 0x) under name.
func (k *Keyring) ImportHex(name, hexKey, passphrase string) (Info, error) {
	raw, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(hexKey), "0x"))
	if err != nil {
		return Info{}, fmt.Errorf("private key is not hex: %w", err)
	}
	key, err := crypto.ToECDSA(raw)
	if err != nil {
		return Info{}, fmt.Errorf("not a secp256k1 private key: %w", err)
	}
	return k.ImportECDSA(name, key, passphrase)
}

// ImportECDSA stores key under name, encrypted with passphrase.
func (k *Keyring) ImportECDSA(name string, key *ecdsa.PrivateKey, passphrase string) (Info, error) {
	if err := ValidateName(name); err != nil {
		return Info{}, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return Info{}, err
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	n, p := k.scrypt()
	bz, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: addr, PrivateKey: key}, passphrase, n, p)
	if err != nil {
		return Info{}, fmt.Errorf("encrypt key: %w", err)
	}
	return k.write(name, addr, bz)
}

// ImportKeystore stores an existing keystore file's JSON under name, as it
// is, after checking that passphrase decrypts it.
func (k *Keyring) ImportKeystore(name string, keyJSON []byte, passphrase string) (Info, error) {
	if err := ValidateName(name); err != nil {
		return Info{}, err
	}
	key, err := keystore.DecryptKey(keyJSON, passphrase)
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", ErrBadPassphrase, err)
	}
	return k.write(name, key.Address, keyJSON)
}

func (k *Keyring) write(name string, addr common.Address, bz []byte) (Info, error) {
	// The directory of account keys is private to its owner, also when
	// it existed already.
	if err := os.MkdirAll(k.Dir, 0o700); err != nil {
		return Info{}, err
	}
	if err := os.Chmod(k.Dir, 0o700); err != nil {
		return Info{}, err
	}
	path := k.path(name)
	// O_EXCL: two concurrent adds of one name cannot both win.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return Info{}, fmt.Errorf("%w: %q (%s)", ErrExists, name, path)
	}
	if err != nil {
		return Info{}, err
	}
	if _, err := f.Write(bz); err != nil {
		f.Close()
		os.Remove(path)
		return Info{}, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return Info{}, err
	}
	return Info{Name: name, Address: addr, File: path}, nil
}

// List returns the keys in the directory, sorted by name. Files that are
// not keystore files are skipped.
func (k *Keyring) List() ([]Info, error) {
	entries, err := os.ReadDir(k.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(k.Dir, e.Name())
		addr, err := fileAddress(path)
		if err != nil {
			continue
		}
		out = append(out, Info{Name: strings.TrimSuffix(e.Name(), ".json"), Address: addr, File: path})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// fileAddress reads the clear-text address of a keystore file.
func fileAddress(path string) (common.Address, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return common.Address{}, err
	}
	var head struct {
		Address string `json:"address"`
		Crypto  any    `json:"crypto"`
	}
	if err := json.Unmarshal(bz, &head); err != nil {
		return common.Address{}, err
	}
	if head.Crypto == nil || !common.IsHexAddress(head.Address) {
		return common.Address{}, fmt.Errorf("%s is not a keystore file", path)
	}
	return common.HexToAddress(head.Address), nil
}

// Show finds a key by name or by 0x address.
func (k *Keyring) Show(nameOrAddress string) (Info, error) {
	if common.IsHexAddress(nameOrAddress) {
		want := common.HexToAddress(nameOrAddress)
		all, err := k.List()
		if err != nil {
			return Info{}, err
		}
		for _, i := range all {
			if i.Address == want {
				return i, nil
			}
		}
		return Info{}, fmt.Errorf("%w: no keystore file in %s holds %s", ErrNotFound, k.Dir, want.Hex())
	}
	if err := ValidateName(nameOrAddress); err != nil {
		return Info{}, err
	}
	path := k.path(nameOrAddress)
	addr, err := fileAddress(path)
	if errors.Is(err, os.ErrNotExist) {
		return Info{}, fmt.Errorf("%w: %q in %s (see `jcreditd keys list`)", ErrNotFound, nameOrAddress, k.Dir)
	}
	if err != nil {
		return Info{}, err
	}
	return Info{Name: nameOrAddress, Address: addr, File: path}, nil
}

// Key decrypts the key found by name or address.
func (k *Keyring) Key(nameOrAddress, passphrase string) (*ecdsa.PrivateKey, Info, error) {
	info, err := k.Show(nameOrAddress)
	if err != nil {
		return nil, Info{}, err
	}
	bz, err := os.ReadFile(info.File)
	if err != nil {
		return nil, Info{}, err
	}
	key, err := keystore.DecryptKey(bz, passphrase)
	if err != nil {
		return nil, Info{}, fmt.Errorf("%w: %s: %v", ErrBadPassphrase, info.File, err)
	}
	if key.Address != info.Address {
		return nil, Info{}, fmt.Errorf("%s: the key decrypts to %s but the file says %s", info.File, key.Address.Hex(), info.Address.Hex())
	}
	return key.PrivateKey, info, nil
}
