// Package tx encodes, signs and verifies jcredit transactions.
//
// A transaction is a protobuf Tx{body, signature}. The body (TxBody: chain
// id, nonce, messages, memo, gas limit, timeout height) travels as the
// exact bytes the signer signed. The signature is a 65-byte secp256k1
// signature r||s||v over
//
//	keccak256("jcredit/tx/v1\x00" || body)
//
// The domain prefix keeps a jcredit signature from ever being valid as an
// Ethereum transaction or message signature made with the same key, and vice
// versa. The signer is not named in the body: it is recovered from the
// signature, and its address must be an account's key.
//
// One transaction, one encoding, one hash. A third party holding someone's
// signed transaction must not be able to produce a second valid spelling
// of it (a different hash that CometBFT's mempool and cache treat as a new
// transaction, racing the original into a block). Three rules close that:
//
//   - the envelope must be the deterministic protobuf encoding of the Tx it
//     decodes to, and the body that of its TxBody: Decode re-encodes both
//     and compares bytes, so unknown fields, a field given twice (protobuf
//     would keep the last: a decoy first body), non-minimal varints and
//     explicit defaults are refused (ErrNotCanonical);
//   - only low-S signatures are accepted (ECDSA's (r, n-s) twin is refused,
//     ErrHighS), and v must be 0 or 1;
//   - the signature covers the body bytes exactly, so nothing inside the
//     body can change without another signature.
//
// Decode does not look at state; the app checks the chain id, timeout,
// nonce and account, and spends the nonce (see package app).
package tx
