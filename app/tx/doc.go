// Package tx encodes, signs and verifies jcredit transactions.
//
// A transaction is a protobuf Tx{body, signature}. The body (TxBody: chain
// id, nonce, messages, memo) travels as the exact bytes the signer signed, so
// no re-encoding can change what a signature covers. The signature is a
// 65-byte secp256k1 signature r||s||v over
//
//	keccak256("jcredit/tx/v1\x00" || body)
//
// The domain prefix keeps a jcredit signature from ever being valid as an
// Ethereum transaction or message signature made with the same key, and vice
// versa. Only low-S signatures are accepted, so a third party cannot produce
// a second valid encoding of the same transaction (malleability). The signer
// is not named in the body: it is recovered from the signature, and its
// address must be an open account.
package tx
