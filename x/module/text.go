package module

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidText reports whether s may be stored as free text that people will
// read (a name, a reason, purpose details): valid UTF-8 with no control
// characters (C0, DEL, C1; tab and newline included, since records are
// shown on one line) and no bidirectional formatting characters, which can
// make a certificate display text in another order than it is stored
// ("Trojan Source", CVE-2021-42574). Length limits are the caller's.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) {
			return false
		}
	}
	return true
}

// isBidiControl reports the Unicode characters that change the display
// order of text: the embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) and the implicit marks (U+200E, U+200F, U+061C).
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// TextProblem says what is wrong with s as a free-text field of at most max
// bytes (required: not blank), or "" if nothing is: "is empty", "is 300
// bytes, at most 256", "is not valid UTF-8", "contains the control
// character U+0000 at byte 5", "contains the bidirectional formatting
// character U+202E at byte 3". Callers prefix the field's name:
//
//	if p := module.TextProblem(m.Beneficiary, MaxNameLen, true); p != "" {
//		return ErrInvalidMsg.Wrapf("beneficiary %s", p)
//	}
func TextProblem(s string, max int, required bool) string {
	switch {
	case required && strings.TrimSpace(s) == "":
		return "is empty"
	case len(s) > max:
		return fmt.Sprintf("is %d bytes, at most %d", len(s), max)
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	}
	for i, r := range s {
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U at byte %d (tabs and line breaks included: records are shown on one line)", r, i)
		case isBidiControl(r):
			return fmt.Sprintf("contains the bidirectional formatting character %U at byte %d (it would make the text display in another order than it is stored)", r, i)
		}
	}
	return ""
}
