// Package types is the storage-free core of x/accounts: what an account
// address is (ParseAddress, the one address parser of the repository) and
// the module's state key layout, including the full store keys that proofs
// are about.
//
// It imports no database: x/accounts, the other modules, the node (API,
// CLI, proof builder) and the WebAssembly proof verifier of the web page
// all import it, so an address or a key cannot mean one thing to the chain
// and another to the program that checks a proof of it.
package types
