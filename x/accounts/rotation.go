package accounts

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// RotationDomain separates key-rotation proofs from transaction signatures,
// so that neither can be replayed as the other.
const RotationDomain = "jcredit/rotate-key/v1\x00"

// RotationSignBytes is the hash the new key signs to prove possession when
// the account at oldAddr moves to newAddr on chainID. Binding the old address
// and the chain stops a proof from being reused for another account or chain.
func RotationSignBytes(chainID string, oldAddr, newAddr common.Address) []byte {
	return crypto.Keccak256([]byte(RotationDomain), []byte(chainID), []byte{0}, oldAddr.Bytes(), newAddr.Bytes())
}

// SignRotation returns the new key's proof for MsgRotateKey.new_key_signature.
func SignRotation(chainID string, oldAddr common.Address, newKey *ecdsa.PrivateKey) ([]byte, error) {
	newAddr := crypto.PubkeyToAddress(newKey.PublicKey)
	return crypto.Sign(RotationSignBytes(chainID, oldAddr, newAddr), newKey)
}

// secp256k1N2 is half the curve order: the low-S bound.
var secp256k1N2 = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// verifyRotation checks that sig is newAddr's key's signature over the
// rotation of oldAddr on chainID.
func verifyRotation(chainID string, oldAddr, newAddr common.Address, sig []byte) error {
	if len(sig) != crypto.SignatureLength {
		return ErrBadRotationProof.Wrapf("signature is %d bytes, want %d (r||s||v)", len(sig), crypto.SignatureLength)
	}
	r, s, v := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64]), sig[64]
	if v > 1 || s.Cmp(secp256k1N2) > 0 || !crypto.ValidateSignatureValues(v, r, s, true) {
		return ErrBadRotationProof.Wrapf("signature values out of range (v must be 0 or 1, s low)")
	}
	pub, err := crypto.SigToPub(RotationSignBytes(chainID, oldAddr, newAddr), sig)
	if err != nil {
		return ErrBadRotationProof.Wrapf("%v", err)
	}
	if got := crypto.PubkeyToAddress(*pub); got != newAddr {
		return ErrBadRotationProof.Wrapf("the signature is by %s, not %s; sign the rotation of %s on chain %q with the new key",
			got.Hex(), newAddr.Hex(), oldAddr.Hex(), chainID)
	}
	return nil
}
