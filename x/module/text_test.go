package module_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/x/module"
)

func TestTextProblem(t *testing.T) {
	for _, c := range []struct {
		s        string
		max      int
		required bool
		want     string // substring of the problem; "" for none
	}{
		{"Kyoto Forest Co. 京都の森", 64, true, ""},
		{"", 64, false, ""},
		{"  ", 64, true, "is empty"},
		{strings.Repeat("a", 65), 64, false, "65 bytes, at most 64"},
		{"a\xffb", 64, false, "not valid UTF-8"},
		{"a\x00b", 64, false, "control character U+0000 at byte 1"},
		{"a\tb", 64, false, "control character U+0009"},
		{"a\u0085b", 64, false, "control character U+0085"},
		{"abc\u202Egnp.exe", 64, false, "bidirectional formatting character U+202E at byte 3"},
		{"\u2066x\u2069", 64, false, "U+2066"},
		{"x\u200F", 64, false, "U+200F"},
	} {
		got := module.TextProblem(c.s, c.max, c.required)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("TextProblem(%q) = %q, want %q", c.s, got, c.want)
		}
		if module.ValidText(c.s) != (got == "" || strings.Contains(got, "is empty") || strings.Contains(got, "bytes, at most")) {
			t.Errorf("ValidText(%q) disagrees with TextProblem %q", c.s, got)
		}
	}
}

func TestGasMeter(t *testing.T) {
	var unmetered *module.GasMeter
	unmetered.Charge(1<<62, "anything") // nil: charges nothing
	m := module.NewGasMeter(10)
	m.Charge(10, "exactly the limit")
	if m.Used() != 10 || m.Remaining() != 0 {
		t.Fatalf("used %d", m.Used())
	}
	defer func() {
		oog, ok := recover().(module.OutOfGas)
		if !ok || oog.Wanted != ^uint64(0) || m.Used() != 10 || !strings.Contains(oog.Error(), "overflow check") {
			t.Fatalf("recovered %#v (%v), used %d", oog, oog, m.Used())
		}
	}()
	m.Charge(^uint64(0), "overflow check")
}
