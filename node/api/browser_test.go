//go:build browser

package api_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/jcredit/jcredit/node/nodetest"
)

// TestBrowser opens the public page in headless Chromium against a real
// node and searches two retirements: one made by signed transactions on
// that node (its certificate shows the block height and transaction) and
// one migrated in the genesis (no block height). Each time it waits for the
// in-page (WebAssembly) verifier to say "verified", in Japanese and in
// English; then checks a serial search (the verifier's statement, trust
// root and the headers walked shown), that a wrong trust root is refused by
// name, and that the page's Content-Security-Policy blocked nothing (the
// WebAssembly verifier runs under 'wasm-unsafe-eval'). A screenshot of each run is
// saved (path printed; directory $JCREDIT_ARTIFACTS or
// node/api/testdata/artifacts).
//
// Run with: make test-browser (needs apt-get install -y chromium).
func TestBrowser(t *testing.T) {
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		t.Fatal("no Chromium found: install it (Debian: apt-get install -y chromium) to run the browser test")
	}
	if _, err := os.Stat("web/verifier.wasm"); err != nil {
		t.Fatal("web/verifier.wasm is missing: run make wasm (make test-browser does) before this test")
	}
	n, _, base := startNode(t)
	made := issueAndRetire(t, n)

	dir := os.Getenv("JCREDIT_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stamp := time.Now().UTC().Format("20060102-150405")

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1100), chromedp.Flag("lang", "ja-JP"))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	defer cancelT()

	shot := func(name string) {
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Logf("screenshot %s: %v", name, err)
			return
		}
		p, _ := filepath.Abs(filepath.Join(dir, fmt.Sprintf("browser-%s-%s.png", stamp, name)))
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Logf("screenshot %s: %v", name, err)
			return
		}
		t.Logf("screenshot: %s", p)
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			shot("failed")
			var status string
			_ = chromedp.Run(ctx, chromedp.Text("#verify-status", &status, chromedp.ByQuery, chromedp.AtLeast(0)))
			t.Fatalf("%s: %v (verify status %q)", what, err, status)
		}
	}

	// certificateShows waits until the certificate is that of id and the
	// in-page verifier has finished with it (a previous search's status
	// stays on screen until the new record has been fetched).
	certificateShows := func(id string) chromedp.Action {
		return chromedp.Poll(fmt.Sprintf(`(() => {
			const dd = document.querySelector('#cert-fields dd[data-field="id"]');
			const st = document.getElementById("verify-status").dataset.state;
			return !!dd && dd.textContent === %q && (st === "verified" || st === "failed");
		})()`, id), nil, chromedp.WithPollingTimeout(time.Minute))
	}
	var recent, cert, status, title, height, txHash string
	// Record every Content-Security-Policy violation from the first script
	// on: the policy must not block anything the page (and its WebAssembly
	// verifier) does.
	run("watch for CSP violations",
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.__csp = [];
				document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`).Do(ctx)
			return err
		}))
	run("open the page (in Japanese) and see recent retirements",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#lang-ja`, chromedp.ByQuery),
		chromedp.Click(`#lang-ja`, chromedp.ByQuery),
		chromedp.WaitVisible(`#retirements tbody tr`, chromedp.ByQuery),
		chromedp.Text(`#retirements tbody`, &recent, chromedp.ByQuery),
	)
	if !strings.Contains(recent, retirementID) || !strings.Contains(recent, made.ID) {
		t.Fatalf("recent retirements %q lack %s or %s", recent, retirementID, made.ID)
	}

	// The retirement made by transactions on this node: its certificate
	// names the block and transaction that retired the credits.
	run("search the retirement made by transactions and see it verified",
		chromedp.SetValue(`#q`, made.ID, chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		chromedp.WaitVisible(`#certificate`, chromedp.ByQuery),
		certificateShows(made.ID),
		chromedp.Text(`#cert-fields`, &cert, chromedp.ByQuery),
		chromedp.Text(`#verify-status`, &status, chromedp.ByQuery),
		chromedp.Text(`#cert-fields dd[data-field="height"]`, &height, chromedp.ByQuery),
		chromedp.Text(`#cert-fields dd[data-field="txHash"]`, &txHash, chromedp.ByQuery),
	)
	if !strings.Contains(status, "検証済み") {
		t.Fatalf("verify status %q is not the Japanese 'verified'", status)
	}
	for _, want := range []string{txBeneficiary, "RE100", txSerials, "2025", "250", "ブロック高", "トランザクション"} {
		if !strings.Contains(cert, want) {
			t.Fatalf("certificate %q lacks %q", cert, want)
		}
	}
	if height != fmt.Sprint(made.Height) || !sameHash(txHash, made.TxHash) {
		t.Fatalf("certificate: block height %q, transaction %q; want %d, %s", height, txHash, made.Height, made.TxHash)
	}
	shot("tx-retirement-ja")

	run("switch to English",
		chromedp.Click(`#lang-en`, chromedp.ByQuery),
		chromedp.Text(`h1`, &title, chromedp.ByQuery),
		chromedp.Text(`#cert-fields`, &cert, chromedp.ByQuery),
		chromedp.Text(`#verify-status`, &status, chromedp.ByQuery),
	)
	if title != "J-Credit Registry" || !strings.Contains(status, "Verified") {
		t.Fatalf("English page: title %q, status %q", title, status)
	}
	if !strings.Contains(cert, "Block height") || !strings.Contains(cert, fmt.Sprint(made.Height)) || !strings.Contains(cert, "Transaction") {
		t.Fatalf("English certificate %q lacks its block height %d or transaction", cert, made.Height)
	}
	shot("tx-retirement-en")

	// The retirement migrated in the genesis: no block height to show.
	run("search the migrated retirement (in Japanese) and see it verified",
		chromedp.Click(`#lang-ja`, chromedp.ByQuery),
		chromedp.SetValue(`#q`, retirementID, chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		certificateShows(retirementID),
		chromedp.Text(`#cert-fields`, &cert, chromedp.ByQuery),
		chromedp.Text(`#verify-status`, &status, chromedp.ByQuery),
	)
	for _, want := range []string{beneficiary, "RE100", "JC-00000001-RE-2024-0000000001-0000000100", "2025", "100"} {
		if !strings.Contains(cert, want) {
			t.Fatalf("certificate %q lacks %q", cert, want)
		}
	}
	if strings.Contains(cert, "ブロック高") {
		t.Fatalf("the migrated retirement's certificate shows a block height: %q", cert)
	}
	if !strings.Contains(status, "検証済み") {
		t.Fatalf("verify status %q is not the Japanese 'verified'", status)
	}
	shot("retirement-ja")

	run("switch to English",
		chromedp.Click(`#lang-en`, chromedp.ByQuery),
		chromedp.Text(`h1`, &title, chromedp.ByQuery),
		chromedp.Text(`#verify-status`, &status, chromedp.ByQuery),
	)
	if title != "J-Credit Registry" || !strings.Contains(status, "Verified") {
		t.Fatalf("English page: title %q, status %q", title, status)
	}

	var href string
	run("the download link points at the proof",
		chromedp.AttributeValue(`#download`, "href", &href, nil, chromedp.ByQuery))
	if !strings.Contains(href, "api/v1/proofs/retirement/"+retirementID) {
		t.Fatalf("download link %q", href)
	}

	var serialText string
	run("search a retired serial and see it verified",
		chromedp.SetValue(`#q`, retiredSerial, chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		chromedp.WaitVisible(`#serial`, chromedp.ByQuery),
		chromedp.WaitVisible(`#verify-status[data-state="verified"]`, chromedp.ByQuery),
		chromedp.Text(`#serial-fields`, &serialText, chromedp.ByQuery),
	)
	if !strings.Contains(serialText, "Retired") || !strings.Contains(serialText, retirementID) {
		t.Fatalf("serial view %q", serialText)
	}
	shot("serial-en")

	// The verdict in the verifier's own words, the trust root and the walk.
	var statement, trustShown, walk, trustHash string
	run("the statement, trust root and headers walked are shown",
		chromedp.Text(`#verify-statement`, &statement, chromedp.ByQuery),
		chromedp.Text(`#verify-trust`, &trustShown, chromedp.ByQuery, chromedp.NodeVisible),
		chromedp.TextContent(`#verify-walk`, &walk, chromedp.ByQuery),
		chromedp.Value(`#trust`, &trustHash, chromedp.ByQuery))
	if !strings.HasPrefix(statement, "AS OF state ") || !strings.Contains(statement, retiredSerial+" is RETIRED by retirement "+retirementID) ||
		trustHash == "" || !strings.Contains(trustShown, strings.ToUpper(trustHash)) || !strings.Contains(trustShown, nodetest.ChainID) ||
		!strings.Contains(walk, "signed by the trusted set") {
		t.Fatalf("statement %q, trust %q, walk %q", statement, trustShown, walk)
	}

	var ms float64
	run("time the in-page (WebAssembly) verifier",
		chromedp.Evaluate(`(() => { const tr = document.getElementById("trust").value, id = document.getElementById("chain-id").value; const t0 = performance.now();
			for (let i = 0; i < 5; i++) { if (!JSON.parse(jcreditVerify(current.bundle, tr, id)).ok) return -1; }
			return (performance.now() - t0) / 5; })()`, &ms))
	if ms < 0 {
		t.Fatal("the in-page verifier refused the bundle it had verified")
	}
	t.Logf("in-page WebAssembly verification: %.1f ms per bundle", ms)

	run("a wrong trust root is refused, naming the trust step",
		chromedp.Click(`#trust-details summary`, chromedp.ByQuery),
		chromedp.SetValue(`#trust`, strings.Repeat("ab", 32), chromedp.ByQuery),
		chromedp.Click(`#reverify`, chromedp.ByQuery),
		chromedp.WaitVisible(`#verify-status[data-state="failed"]`, chromedp.ByQuery),
		chromedp.Text(`#verify-status`, &status, chromedp.ByQuery),
	)
	if !strings.Contains(status, "trust step failed") {
		t.Fatalf("wrong trust root: status %q", status)
	}
	shot("wrong-trust")

	var violations []string
	run("no Content-Security-Policy violation", chromedp.Evaluate(`window.__csp`, &violations))
	if len(violations) != 0 {
		t.Fatalf("the page's CSP blocked: %v", violations)
	}
}
