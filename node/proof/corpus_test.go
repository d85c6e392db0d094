package proof

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds bundles exactly as the released v0.2.0 handed them out
// (scripts/corpus-v1.sh): every kind, with and without header chains, from
// a real six-node network with three ministry-approved validator-set
// changes. They must verify forever.
const corpusDir = "testdata/corpus-v1"

// corpusRefused are the v1 bundles this verifier refuses on purpose, each
// with its reason. Nothing else in the corpus may fail.
var corpusRefused = map[string]string{}

func init() {
	// Issue 11, finding 1: a v1 serial bundle that answers with a range
	// proves the range only; the category and vintage year its serial
	// names are bound to nothing, and the same bundle verified for
	// JC-00000001-FO-2019-… as for JC-00000001-RE-2023-…. Such a bundle is
	// refused ("fetch a new bundle"); v2 proves the batch beside the range.
	// v1 serial bundles answered by the batch (never issued) still verify:
	// the batch record binds the category and vintage.
	for _, f := range []string{
		"e0-serial-active-buyer.json", "e0-serial-active-kyoto.json", "e0-serial-cancelled.json",
		"e0-serial-retired-by-serial.json", "e0-serial-retired.json",
		"e1-serial-retired.json",
		"e3-api-serial-cancelled.json", "e3-from-latest-serial-active.json",
		"e3-serial-active-buyer.json", "e3-serial-active-kyoto.json", "e3-serial-cancelled.json",
		"e3-serial-retired-by-serial.json", "e3-serial-retired.json",
	} {
		corpusRefused[f] = "v1 serial range bundle: category and vintage year not bound (finding 1)"
	}
}

type corpusBundle struct {
	File       string `json:"file"`
	Trust      string `json:"trust"`
	ChainID    string `json:"chain_id"`
	Kind       string `json:"kind"`
	Subject    string `json:"subject"`
	Exists     bool   `json:"exists"`
	Height     int64  `json:"height"`
	ChainLinks int    `json:"chain_links"`
	Source     string `json:"source"`
	Note       string `json:"note"`
}

type corpus struct {
	ChainID string         `json:"chain_id"`
	Bundles []corpusBundle `json:"bundles"`
}

func loadCorpus(t testing.TB) corpus {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Bundles) < 30 {
		t.Fatalf("the corpus lists %d bundles", len(c.Bundles))
	}
	return c
}

func corpusFile(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func corpusTrust(t testing.TB, name, chainID string) *Trust {
	t.Helper()
	tr, err := ParseTrust(corpusFile(t, name))
	if err != nil {
		t.Fatalf("trust root %s: %v", name, err)
	}
	if chainID != "" {
		tr.ChainID = chainID
	}
	return tr
}

// Every bundle v0.2.0 handed out verifies, says what it proves, and walks
// the chain it carries; the refused ones fail with their reason.
func TestCorpusV1KeepsVerifying(t *testing.T) {
	c := loadCorpus(t)
	verified, chains := 0, 0
	for _, e := range c.Bundles {
		raw := corpusFile(t, e.File)
		res, err := VerifyJSON(raw, corpusTrust(t, e.Trust, e.ChainID))
		if reason, refused := corpusRefused[e.File]; refused {
			if err == nil || !strings.Contains(err.Error(), "category and vintage year") {
				t.Errorf("%s must be refused (%s): %v", e.File, reason, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%s): %v", e.File, e.Note, err)
			continue
		}
		verified++
		if res.Kind != e.Kind || res.Subject != e.Subject || res.Exists != e.Exists || res.Height != e.Height || res.ChainLength != e.ChainLinks {
			t.Errorf("%s: result %s %s exists %v height %d chain %d; manifest %+v", e.File, res.Kind, res.Subject, res.Exists, res.Height, res.ChainLength, e)
		}
		if res.Format != FormatV1 || res.StateVersion != 1 || !strings.HasPrefix(res.Statement, "AS OF state ") {
			t.Errorf("%s: format %s, state version %d, statement %q", e.File, res.Format, res.StateVersion, res.Statement)
		}
		if len(res.Walk) != e.ChainLinks+1 || res.Walk[len(res.Walk)-1].Block != e.Height+1 {
			t.Errorf("%s: walk %+v", e.File, res.Walk)
		}
		if e.ChainLinks > 0 {
			chains++
		}
		switch {
		case strings.Contains(e.File, "never-issued-beyond"):
			if res.Answer != AnswerNeverIssued || !strings.Contains(res.Statement, "never issued: batch JC-00000001 has issued 1000") {
				t.Errorf("%s: %s %q", e.File, res.Answer, res.Statement)
			}
		case strings.Contains(e.File, "never-issued-no-batch"):
			if res.Answer != AnswerNeverIssued || !strings.Contains(res.Statement, "there is no batch JC-00000009") {
				t.Errorf("%s: %s %q", e.File, res.Answer, res.Statement)
			}
		case !e.Exists:
			if res.Answer != AnswerAbsent || !strings.Contains(res.Statement, "is absent") {
				t.Errorf("%s: %s %q", e.File, res.Answer, res.Statement)
			}
		}
	}
	t.Logf("%d of %d v0.2.0 bundles verify (%d with header chains); %d refused on purpose", verified, len(c.Bundles), chains, len(corpusRefused))
	if verified+len(corpusRefused) != len(c.Bundles) || chains < 10 {
		t.Fatalf("verified %d, refused %d, of %d; %d with chains", verified, len(corpusRefused), len(c.Bundles), chains)
	}
}

// A verifier holding the set the registry published at a later block
// accepts the bundles made for genesis: the published set signs a header of
// their walk (here: the proven block itself).
func TestCorpusV1VerifiesAgainstANewerPublishedRoot(t *testing.T) {
	c := loadCorpus(t)
	latest := corpusTrust(t, "validators-latest.json", c.ChainID)
	n := 0
	for _, e := range c.Bundles {
		if !strings.HasPrefix(e.File, "e3-") || corpusRefused[e.File] != "" {
			continue
		}
		res, err := VerifyJSON(corpusFile(t, e.File), latest)
		if err != nil {
			t.Fatalf("%s against the latest published set: %v", e.File, err)
		}
		if res.Trust.FoundAt != res.BlockHeight || res.Trust.Source != TrustFromValidators {
			t.Fatalf("%s: trust %+v", e.File, res.Trust)
		}
		n++
	}
	// Without the chain id, a published set names no chain: refused.
	noChain := corpusTrust(t, "validators-latest.json", "")
	if _, err := VerifyJSON(corpusFile(t, "e3-retirement-1.json"), noChain); StepOf(err) != StepTrust || !strings.Contains(err.Error(), "chain id") {
		t.Fatalf("a validators root without --chain-id: %v", err)
	}
	// The era-0 bundles were signed by the genesis set, which the latest
	// set does not contain: not trusted.
	if _, err := VerifyJSON(corpusFile(t, "e0-retirement-1.json"), latest); StepOf(err) != StepTrust {
		t.Fatalf("an era-0 bundle against the latest set: %v", err)
	}
	t.Logf("%d bundles made for genesis verify against the set published at a later block", n)
}
