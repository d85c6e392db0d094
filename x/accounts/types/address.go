package types

import (
	"strings"

	"github.com/ethereum/go-ethereum/common"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// ErrInvalidAddress is x/accounts' error for a malformed address (code 5 of
// the accounts codespace). Other modules wrap ParseAddress's error into
// their own codes where a message field is at fault.
var ErrInvalidAddress = module.NewError(ModuleName, 5, "invalid address")

// ParseAddress is the one address parser of the registry: it accepts a
// 0x-prefixed 40-hex-digit address and returns it. Mixed case must be a
// valid EIP-55 checksum, so that a mistyped address is caught before
// credits go to it; all-lower and all-upper hex carry no checksum and are
// accepted. The zero address is refused: no key has it.
func ParseAddress(s string) (common.Address, error) {
	if !strings.HasPrefix(s, "0x") || !common.IsHexAddress(s) {
		return common.Address{}, ErrInvalidAddress.Wrapf("%q is not a 0x-prefixed 20-byte hex address", s)
	}
	addr := common.HexToAddress(s)
	hexPart := s[2:]
	if hexPart != strings.ToLower(hexPart) && hexPart != strings.ToUpper(hexPart) && addr.Hex() != s {
		return common.Address{}, ErrInvalidAddress.Wrapf("%q fails its EIP-55 checksum (did you mean %s?)", s, addr.Hex())
	}
	if addr == (common.Address{}) {
		return common.Address{}, ErrInvalidAddress.Wrapf("the zero address cannot hold an account")
	}
	return addr, nil
}
