package proof

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSubjectBytes caps a subject (an address is 42 bytes; a total naming
// an account, a use and a year about 90).
const MaxSubjectBytes = 128

// checkSubjectText refuses a subject that is not plain printable ASCII.
// Every subject — retirement and cancellation ids, serials, batch ids,
// addresses — is written in ASCII letters, digits and '-', and a kind's
// check then requires its one canonical spelling. A character a terminal
// does not show (a zero-width space, a trailing space) would otherwise
// make "JCR-00000001" and "JCR-00000001\u200b" look identical while one
// proves a record and the other an absence.
func checkSubjectText(s string) error {
	if s == "" {
		return fmt.Errorf("the bundle names no subject")
	}
	if len(s) > MaxSubjectBytes {
		return fmt.Errorf("the subject is %d bytes long; no subject is longer than %d", len(s), MaxSubjectBytes)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("the subject %q is not valid UTF-8", s)
	}
	for i, r := range s {
		if r > 0x20 && r < 0x7f {
			continue
		}
		clean := strings.Map(func(r rune) rune {
			if r > 0x20 && r < 0x7f {
				return r
			}
			return -1
		}, s)
		return fmt.Errorf("the subject %+q contains %s at byte %d; subjects are written in ASCII letters, digits and '-' only, so this is not %q (which looks the same on a screen)",
			s, describeRune(r), i, clean)
	}
	return nil
}

// describeRune names a character people cannot see or tell apart.
func describeRune(r rune) string {
	names := map[rune]string{
		' ': "a space", '\t': "a tab", '\n': "a line break", '\r': "a carriage return",
		0x00A0: "a no-break space", 0x200B: "a zero-width space", 0x200C: "a zero-width non-joiner",
		0x200D: "a zero-width joiner", 0x2060: "a word joiner", 0xFEFF: "a zero-width no-break space (byte order mark)",
		0x3000: "an ideographic (full-width) space", 0x2011: "a non-breaking hyphen", 0x2010: "a hyphen (U+2010)",
		0x2212: "a minus sign", 0xFF0D: "a full-width hyphen-minus",
	}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("%s (U+%04X)", n, r)
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("a control character (U+%04X)", r)
	}
	return fmt.Sprintf("the non-ASCII character %q (U+%04X)", r, r)
}
