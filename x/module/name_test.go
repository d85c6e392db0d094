package module

import "testing"

func TestNameFilter(t *testing.T) {
	for _, c := range []struct {
		q, name string
		want    bool
	}{
		{"", "anything", true},
		{"forest", "Kyoto FOREST Co.", true},
		{"ＦＯＲＥＳＴ", "Kyoto Forest", true}, // full-width query, half-width name
		{"forest", "京都ＦＯＲＥＳＴ株式会社", true}, // and the reverse
		{"ｶﾞｽ", "東京ガス", true},            // half-width katakana with dakuten
		{"ガス", "東京ｶﾞｽ", true},
		{"水力", "京都森林", false},
	} {
		f, err := NewNameFilter(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(c.name); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.q, c.name, got, c.want)
		}
	}
	if _, err := NewNameFilter(string(make([]byte, MaxNameFilter+1))); err == nil {
		t.Error("an overlong filter was accepted")
	}
}
