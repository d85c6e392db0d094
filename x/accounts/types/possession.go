package types

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// ValidatorPossessionDomain starts every validator possession proof's sign
// bytes, so that the consensus key's signature cannot be mistaken for a
// CometBFT vote or proposal (those are protobuf, never this prefix).
const ValidatorPossessionDomain = "jcredit/validator-possession/v1\x00"

// ValidatorPossessionSignBytes are the bytes a consensus key signs (ed25519)
// to prove that its holder consents to a validator change: adding it, or
// raising its power while it has not signed a block yet. They bind the
// chain, the kind of change, the key, the power and the operator (the zero
// address for a set-power change), so that the proof cannot be reused on
// another chain, for another power or for another operator. The CLI's
// `tx accounts propose-validator` signs them with priv_validator_key.json;
// x/accounts verifies them.
//
//	domain | u16 len(chain id) | chain id | u8 kind | u16 len(key) | key | u64 power | 20B operator
func ValidatorPossessionSignBytes(chainID string, kind accountsv1.ValidatorChangeKind, pubKey []byte, power int64, operator common.Address) []byte {
	out := make([]byte, 0, len(ValidatorPossessionDomain)+2+len(chainID)+1+2+len(pubKey)+8+common.AddressLength)
	out = append(out, ValidatorPossessionDomain...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(chainID)))
	out = append(out, chainID...)
	out = append(out, byte(kind))
	out = binary.BigEndian.AppendUint16(out, uint16(len(pubKey)))
	out = append(out, pubKey...)
	out = binary.BigEndian.AppendUint64(out, uint64(power))
	return append(out, operator.Bytes()...)
}
