// Package accounts holds the registry's permissioned accounts: who may act,
// in which roles, and whether they may act now.
//
// An account is a secp256k1 key's address plus what the secretariat checked
// off-chain: legal name, entity kind, country. It exists only once the
// secretariat opens it (MsgOpenAccount); until then its key can sign nothing.
// Each account carries the nonce its next transaction must use, which is what
// makes a replayed transaction fail.
//
// Other modules ask this one about authority through Keeper.HasRole and
// Keeper.IsActive; none of them re-implements the rules.
package accounts
