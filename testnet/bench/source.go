package bench

import (
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

// Workload names what a segment's transactions carry.
type Workload string

const (
	// KVStore: `key=value` transactions for CometBFT's kvstore, as long as
	// a jcredit transfer.
	KVStore Workload = "kvstore"
	// Transfer: signed jcredit transfers of one credit to another funded
	// account (by quantity, oldest first).
	Transfer Workload = "transfer"
	// Mix: the e2e suite's credits workload (harness.Credits): three
	// transfers of 1-5 credits for one retirement of 1-3.
	Mix Workload = "mix"
)

// App is the application the workload runs against.
func (w Workload) App() harness.App {
	if w == KVStore {
		return harness.AppKVStore
	}
	return harness.AppJCredit
}

// Label is the workload's name in tables.
func (w Workload) Label() string {
	switch w {
	case KVStore:
		return "kvstore"
	case Transfer:
		return "jcredit transfer"
	case Mix:
		return "jcredit mix"
	}
	return string(w)
}

// ParseWorkload accepts "transfer" and "mix" (the jcredit workloads).
func ParseWorkload(s string) (Workload, error) {
	switch w := Workload(strings.TrimSpace(s)); w {
	case Transfer, Mix:
		return w, nil
	}
	return "", fmt.Errorf("unknown jcredit workload %q (want transfer or mix)", s)
}

// signer is a funded account a lane signs for.
type signer struct {
	name string
	key  *ecdsa.PrivateKey
	addr string
}

// maker builds a lane's transactions.
type maker struct {
	wl      Workload
	chainID string
	credits harness.Credits // the funded holders and the mix workload
	kvSize  int             // length of a kvstore transaction
	segment string          // unique per segment, so kv keys never repeat
}

// jc builds and signs the transaction for signer's nonce; version tells
// apart two transactions for the same nonce (a replacement for one that a
// block consumed without applying).
func (m *maker) jc(s signer, lane int, nonce uint64, version int, rnd *rand.Rand) (raw []byte, kind string, err error) {
	var msgs []proto.Message
	switch m.wl {
	case Transfer:
		to := s.name
		for to == s.name {
			to = m.credits.Holders[rnd.Intn(len(m.credits.Holders))]
		}
		msgs = []proto.Message{&creditsv1.MsgTransfer{Recipient: m.addr(to), Quantity: 1}}
	default:
		msgs = m.credits.Msgs(s.name, int(nonce), rnd)
	}
	kind = "transfer"
	if _, ok := msgs[0].(*creditsv1.MsgRetire); ok {
		kind = "retire"
	}
	body, err := tx.Build(m.chainID, nonce, fmt.Sprintf("bench lane %d nonce %d v%d", lane, nonce, version), msgs...)
	if err != nil {
		return nil, "", err
	}
	raw, err = tx.Sign(body, s.key)
	return raw, kind, err
}

func (m *maker) addr(name string) string {
	// Bind filled the workload's address book; the holders are genesis
	// accounts, so every name has one.
	return m.credits.Address(name)
}

// kv builds lane's seq-th kvstore transaction: a unique key and a hex
// value padded so that the whole is kvSize bytes.
func (m *maker) kv(lane, seq int, rnd *rand.Rand) []byte {
	key := fmt.Sprintf("bench-%s-%02d-%09d", m.segment, lane, seq)
	n := m.kvSize - len(key) - 1
	if n < 8 {
		n = 8
	}
	val := make([]byte, (n+1)/2)
	rnd.Read(val)
	return []byte(key + "=" + hex.EncodeToString(val)[:n])
}

// sampleTransferSize is the length of a typical signed one-credit transfer,
// the size the kvstore transactions copy.
func sampleTransferSize(chainID string) (int, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return 0, err
	}
	to := crypto.PubkeyToAddress(key.PublicKey).Hex()
	body, err := tx.Build(chainID, 1234, fmt.Sprintf("bench lane %d nonce %d v%d", 12, 1234, 0),
		&creditsv1.MsgTransfer{Recipient: to, Quantity: 1})
	if err != nil {
		return 0, err
	}
	raw, err := tx.Sign(body, key)
	return len(raw), err
}
