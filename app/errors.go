package app

import "github.com/jcredit/jcredit/x/module"

// Codespace of the envelope checks the app itself makes, before any module
// sees a message.
const Codespace = "tx"

// Transaction envelope errors. Codes are stable: clients and the explorer
// match on them.
var (
	ErrTxTooLarge     = module.NewError(Codespace, 2, "transaction too large")
	ErrTxDecode       = module.NewError(Codespace, 3, "cannot decode transaction")
	ErrBadSignature   = module.NewError(Codespace, 4, "bad signature")
	ErrHighS          = module.NewError(Codespace, 5, "signature is not low-S (malleable); re-sign with a current client")
	ErrNoMessages     = module.NewError(Codespace, 6, "transaction carries no messages")
	ErrWrongChainID   = module.NewError(Codespace, 7, "transaction is for another chain")
	ErrStaleNonce     = module.NewError(Codespace, 8, "nonce already used (replay or duplicate)")
	ErrFutureNonce    = module.NewError(Codespace, 9, "nonce is ahead of the account's next nonce")
	ErrUnknownMessage = module.NewError(Codespace, 10, "unknown message type")
	ErrBadMessage     = module.NewError(Codespace, 11, "cannot decode message")
	ErrNotCanonical   = module.NewError(Codespace, 12, "transaction is not in canonical form")
	ErrTimedOut       = module.NewError(Codespace, 13, "transaction timed out")
	ErrGasLimit       = module.NewError(Codespace, 14, "gas limit out of bounds")
	ErrOutOfGas       = module.NewError(Codespace, 15, "out of gas")
	ErrBlockGasFull   = module.NewError(Codespace, 16, "block gas limit reached")
	ErrInvalidMemo    = module.NewError(Codespace, 17, "invalid memo")
)

// allErrors lists the codespace's errors for the uniqueness test.
var allErrors = []*module.Error{
	ErrTxTooLarge, ErrTxDecode, ErrBadSignature, ErrHighS, ErrNoMessages,
	ErrWrongChainID, ErrStaleNonce, ErrFutureNonce, ErrUnknownMessage, ErrBadMessage,
	ErrNotCanonical, ErrTimedOut, ErrGasLimit, ErrOutOfGas, ErrBlockGasFull, ErrInvalidMemo,
}

// AllErrors returns the codespace's errors (for tests and documentation).
func AllErrors() []*module.Error { return append([]*module.Error(nil), allErrors...) }
