// Package keys keeps account keys as go-ethereum encrypted keystore files
// (Web3 Secret Storage v3: scrypt + AES-128-CTR), one file per key, so that
// standard Ethereum tooling can read them and nothing here is home-made
// cryptography: encryption and decryption are go-ethereum's
// accounts/keystore.
//
// A key has a local name. The file is <dir>/<name>.json; its JSON carries
// the address in clear (as the standard requires), so listing keys needs no
// passphrase. A key can also be looked up by its 0x address, which finds
// any keystore file in the directory, including ones written by other tools
// under their standard UTC--<time>--<address> names.
//
// scrypt's cost: the standard parameters (N=2^18) take about a second and
// 256 MB per encryption or decryption, which is the point: a stolen file
// resists guessing. LightKDF (N=2^12) is for tests and throw-away networks.
package keys
