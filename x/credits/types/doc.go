// Package types is the storage-free core of x/credits: the facts about
// credits that more than one program must agree on, defined once.
//
//   - the serial number format (serial.go): ParseSerial, FormatSerial,
//     BatchID and ParseBatchID, and the record ids of retirements
//     (JCR-…) and cancellations (JCX-…);
//   - the module's state key layout (keys.go), including the full store
//     keys that proofs are about (RetirementStoreKey, RangeStoreKey,
//     BatchStoreKey, CancellationStoreKey).
//
// It imports no database: x/credits, the node (API, CLI, proof builder)
// and the WebAssembly proof verifier of the web page all import it, so a
// serial or a key cannot mean one thing to the chain and another to the
// program that checks a proof of it.
package types
