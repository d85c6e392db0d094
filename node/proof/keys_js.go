//go:build js

package proof

var keysOf = mirror
