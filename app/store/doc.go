// Package store is the app's committed state: one IAVL tree over a cosmos-db
// database on disk, whose root hash is the app hash, and the write buffers
// that make each transaction all-or-nothing.
//
// Writes reach the tree in one place only, Cache.Write, which applies a
// buffer's changes in ascending key order. The order matters: an AVL tree's
// shape, and so its root hash, depends on the order of insertions, and every
// validator must reach the same hash.
//
// Nothing is durable until Tree.Commit (IAVL SaveVersion). A crash before it
// loses the working changes of the current block, which CometBFT replays on
// restart (the ABCI handshake), because Info reports the last saved version.
//
// The database is pebble, opened by pebble.go with the options the node
// needs (a block cache sized by measurement), behind cosmos-db's DB
// interface that IAVL takes. IAVL's fast index (a second copy of every
// leaf for one-lookup reads) is on, chosen by measuring both settings on
// the network (tree.go, fastIndex).
package store
