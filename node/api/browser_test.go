//go:build browser

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"

	"github.com/jcredit/jcredit/app/apptest"
)

// browser is one headless Chromium on the page, with screenshots saved as
// artifacts (directory $JCREDIT_ARTIFACTS, else build/browser at the
// repository's root; not committed) and every Content-Security-Policy
// violation recorded from the first script on.
type browser struct {
	t     *testing.T
	ctx   context.Context
	dir   string
	stamp string
}

func newBrowser(t *testing.T, lang string) *browser {
	t.Helper()
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
	dir := os.Getenv("JCREDIT_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "build", "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1100), chromedp.Flag("lang", lang))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancelT)
	b := &browser{t: t, ctx: ctx, dir: dir, stamp: time.Now().UTC().Format("20060102-150405")}
	b.run("watch for CSP violations", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.__csp = [];
			document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`).Do(ctx)
		return err
	}))
	return b
}

func (b *browser) shot(name string) {
	var png []byte
	if err := chromedp.Run(b.ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.save(name+".png", png)
}

func (b *browser) save(name string, data []byte) {
	p, _ := filepath.Abs(filepath.Join(b.dir, fmt.Sprintf("browser-%s-%s", b.stamp, name)))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.t.Logf("artifact %s: %v", name, err)
		return
	}
	b.t.Logf("artifact: %s", p)
}

func (b *browser) run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		b.shot("failed")
		var status, msg string
		_ = chromedp.Run(b.ctx, chromedp.Text("#verify-status", &status, chromedp.ByQuery, chromedp.AtLeast(0)),
			chromedp.Text("#message", &msg, chromedp.ByQuery, chromedp.AtLeast(0)))
		b.t.Fatalf("%s: %v (verify status %q, message %q)", what, err, status, msg)
	}
}

// text reads the text of a selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// eval evaluates JavaScript into out.
func (b *browser) eval(js string, out any) {
	b.t.Helper()
	b.run("evaluate "+js, chromedp.Evaluate(js, out))
}

// wait polls a JavaScript condition.
func wait(cond string) chromedp.Action {
	return chromedp.Poll(cond, nil, chromedp.WithPollingTimeout(90*time.Second))
}

// verified waits until the proof panel has finished verifying (either
// way) the record it shows.
var settled = chromedp.Tasks{routed, wait(`(() => { const s = document.getElementById("verify-status").dataset.state; return s === "verified" || s === "failed"; })()`)}

// routed waits until the page has begun showing what its URL names (a
// click on a link changes the URL before the page reacts).
var routed = wait(`window.__route === location.hash`)

func (b *browser) noCSPViolation() {
	b.t.Helper()
	var violations []string
	b.eval(`window.__csp`, &violations)
	if len(violations) != 0 {
		b.t.Fatalf("the page's CSP blocked: %v", violations)
	}
}

func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s %q lacks %q", what, got, w)
		}
	}
}

// TestBrowser walks the public page in headless Chromium against a real
// node, as a visitor would: the home (statistics, recent retirements and
// batches, newest first) → the project → its batch → a serial → the
// retirement certificate, verified in the page by the WebAssembly verifier
// → the print view (print media emulated; an A4 PDF saved); an active and
// a cancelled serial show their status card, verified, and no
// certificate; an absent serial shows the API's own message; the English
// and Japanese pages (?lang= shareable); a proof file dropped on the page
// verifies and a tampered one is refused; a wrong trust root is refused;
// the retirement list's filters and CSV link; search by name; the
// Content-Security-Policy blocks nothing. The first (cold) verification's
// times are logged. Screenshots are kept as artifacts.
//
// Run with: make test-browser (needs apt-get install -y chromium).
func TestBrowser(t *testing.T) {
	n, _, base := startNode(t)
	made := issueAndRetire(t, n)
	// A ministry cancels credits of the migrated batch (serials 901-950).
	res := sendTx(t, n, "meti", &creditsv1.MsgCancel{Serials: []string{"JC-00000001-RE-2024-0000000901-0000000950"}, Reason: "double counting found in audit"})
	cancelledSerial := "JC-00000001-RE-2024-0000000920"
	// A program-type project with two members and their shares.
	sendTx(t, n, "kyoto", &projectsv1.MsgSubmitProject{
		Name: "Kyoto heat pump program", Kind: projectsv1.ProjectKind_PROJECT_KIND_PROGRAM, Methodology: "EN-R-002",
		Location: &creditsv1.Location{PrefectureCode: "26", Municipality: "京都市"}, CreditingStart: "2024-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 500, PlanHash: strings.Repeat("ab", 32),
		Members: []*projectsv1.MemberSpec{
			{Name: "Kyoto plant", Site: "Fushimi", Address: apptest.Addr("kyoto").Hex(), ShareBps: 6000},
			{Name: "Kiwa office", Site: "Shimogyo", Address: apptest.Addr("kiwa").Hex(), ShareBps: 4000},
		},
	})
	nodetest.WaitHeight(t, nodetest.Client(t, n), res.Height+2)

	b := newBrowser(t, "ja-JP")

	// The home, in Japanese: statistics, recent retirements and batches
	// (newest first).
	var recent, batches string
	b.run("open the home in Japanese",
		chromedp.Navigate(base+"/?lang=ja"),
		chromedp.WaitVisible(`#retirements tbody tr`, chromedp.ByQuery),
		chromedp.WaitVisible(`#batches tbody tr`, chromedp.ByQuery),
		chromedp.Text(`#retirements tbody`, &recent, chromedp.ByQuery),
		chromedp.Text(`#batches tbody tr:first-child`, &batches, chromedp.ByQuery),
	)
	mustContain(t, "recent retirements", recent, retirementID, made.ID, txBeneficiary)
	mustContain(t, "newest batch", batches, txBatch, "Kyoto plant rooftop solar")
	if title := b.text("h1"); title != "J-クレジット 登録簿" {
		t.Fatalf("Japanese title %q", title)
	}
	b.home(t)
	b.shot("home-ja")

	// → the project of the newest batch.
	var project string
	b.run("open the batch's project",
		chromedp.Click(`#batches tbody tr:first-child td:nth-child(2) a`, chromedp.ByQuery),
		wait(`!!document.querySelector("#project-history tbody tr:nth-child(3)") && !!document.querySelector("#project-batches tbody tr")`),
		// history names actors by address; the page puts their legal names
		wait(`!document.getElementById("project-history").textContent.includes("0x")`),
		chromedp.Text(`#page`, &project, chromedp.ByQuery),
	)
	mustContain(t, "project page", project, "Kyoto plant rooftop solar", "kyoto", "EN-R-002", "Solar power generation", "26",
		"登録済み", "妥当性確認済み", "申請中", "kiwa", "meti", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", txBatch)
	b.shot("project-ja")

	// → its batch: identifiers, supply, ranges and their status.
	var batch string
	b.run("open the batch",
		chromedp.Click(`#project-batches tbody tr:first-child a`, chromedp.ByQuery),
		wait(`!!document.querySelector("#batch-ranges tbody tr")`),
		chromedp.Text(`#page`, &batch, chromedp.ByQuery),
	)
	mustContain(t, "batch page", batch, txBatch, "EN-R-002", "再生可能エネルギー（電力）", "2024-04-01", "250", txSerials, "無効化済み", made.ID, "kyoto")
	b.shot("batch-ja")

	// → a serial of it: retired, so its certificate, verified. The first
	// verification loads the verifier (cold): its times are logged.
	var serial, certBadge string
	b.run("open a serial of the batch",
		chromedp.Click(`#batch-ranges tbody tr:first-child td:first-child a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#serial`, chromedp.ByQuery),
		settled,
		chromedp.Text(`#serial-fields`, &serial, chromedp.ByQuery),
		chromedp.Text(`#cert-verified`, &certBadge, chromedp.ByQuery, chromedp.NodeVisible),
	)
	mustContain(t, "retired serial", serial, "無効化済み", made.ID)
	if certBadge != "✓ 検証済み" {
		t.Fatalf("the retired serial's certificate badge is %q", certBadge)
	}
	var timing struct {
		LoadMs    float64 `json:"loadMs"`
		VerifyMs  float64 `json:"verifyMs"`
		Bytes     int     `json:"bytes"`
		GzipBytes int     `json:"gzipBytes"`
		URL       string  `json:"url"`
	}
	b.eval(`window.__verifierTiming`, &timing)
	t.Logf("cold in-page verification: verifier %s (%d bytes, %d gzipped) fetched, compiled and started in %.0f ms; first bundle verified in %.0f ms",
		timing.URL, timing.Bytes, timing.GzipBytes, timing.LoadMs, timing.VerifyMs)
	b.shot("serial-retired-ja")
	// The same page loaded again: the browser has kept the verifier (its
	// URL names its content, served immutable for a year).
	cold := timing
	b.run("reload the serial: the verifier comes from the browser's cache",
		chromedp.Reload(),
		wait(`!!window.__verifierTiming && window.__verifierTiming.verifyMs !== undefined`))
	b.eval(`window.__verifierTiming`, &timing)
	t.Logf("warm in-page verification (same browser, page reloaded): verifier ready in %.0f ms (cold %.0f ms, ratio %.2f); bundle verified in %.0f ms",
		timing.LoadMs, cold.LoadMs, timing.LoadMs/max(cold.LoadMs, 1), timing.VerifyMs)
	var fromCache bool
	b.eval(`performance.getEntriesByType("resource").some((e) => e.name.includes(window.__verifierTiming.url) && e.transferSize === 0)`, &fromCache)
	if !fromCache {
		t.Errorf("after a reload the verifier %s was fetched again, not taken from the browser's cache", timing.URL)
	}

	// → the retirement certificate, verified, with the QR code of its
	// proof's URL and the validator-set hash it verified against.
	var cert, certURL, certTrust, trustHash string
	var qrWidth int
	b.run("open the retirement certificate",
		chromedp.Click(`#serial-fields dd[data-field="retirement"] a`, chromedp.ByQuery),
		routed,
		wait(fmt.Sprintf(`(document.querySelector('#cert-fields dd[data-field="id"]') || {}).textContent === %q && document.getElementById("cert-verified").dataset.state === "verified"`, made.ID)),
		wait(`document.getElementById("cert-qr").complete && document.getElementById("cert-qr").naturalWidth > 0`),
		chromedp.Text(`#certificate`, &cert, chromedp.ByQuery),
		chromedp.Text(`#cert-url`, &certURL, chromedp.ByQuery),
		chromedp.Text(`#cert-trust`, &certTrust, chromedp.ByQuery),
		chromedp.Value(`#trust`, &trustHash, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("cert-qr").naturalWidth`, &qrWidth),
	)
	mustContain(t, "certificate", cert, made.ID, txBeneficiary, "RE100", "2025", "250", txSerials, "Kyoto plant rooftop solar", "EN-R-002",
		"再生可能エネルギー（電力）", "2024-04-01", "ブロック高", fmt.Sprint(made.Height), "JST", "無効化証明", "✓ 検証済み")
	if certURL != base+"/api/v1/proofs/retirement/"+made.ID+"?download=1" || !strings.Contains(certTrust, strings.ToUpper(trustHash)) || !strings.Contains(certTrust, nodetest.ChainID) {
		t.Fatalf("certificate proof URL %q, trust %q (trust root %s)", certURL, certTrust, trustHash)
	}
	if height := b.text(`#cert-fields dd[data-field="height"]`); height != fmt.Sprint(made.Height) || !sameHash(b.text(`#cert-fields dd[data-field="txHash"]`), made.TxHash) {
		t.Fatalf("certificate block height %q (want %d)", height, made.Height)
	}
	b.shot("certificate-ja")

	// → the print view: the certificate alone on A4.
	var printHidden bool
	var pdf []byte
	b.run("print view",
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`["header", "#search", "#proof", "footer"].every((s) => getComputedStyle(document.querySelector(s)).display === "none") &&
			getComputedStyle(document.getElementById("certificate")).display !== "none"`, &printHidden),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
			return err
		}),
	)
	if !printHidden {
		t.Fatal("in print media the page shows more than the certificate")
	}
	b.shot("certificate-print")
	b.save("certificate.pdf", pdf)
	b.run("back to screen media", emulation.SetEmulatedMedia().WithMedia(""))

	// An active serial (an old-style link): its status card, verified, and
	// no certificate.
	for _, c := range []struct{ name, serial, status string }{
		{"active", activeSerial, "有効"}, {"cancelled", cancelledSerial, "取消済み"},
	} {
		var fields string
		var certShown bool
		b.run("open the "+c.name+" serial",
			chromedp.Navigate(base+"/?lang=ja#/"+c.serial),
			wait(fmt.Sprintf(`(document.querySelector('#serial-fields dd[data-field="serials"]') || {}).textContent === %q`, c.serial)),
			settled,
			chromedp.Text(`#serial-fields`, &fields, chromedp.ByQuery),
			chromedp.Evaluate(`!document.getElementById("certificate").hidden || document.getElementById("cert-verified").offsetParent !== null`, &certShown),
		)
		if st := b.text("#verify-status"); !strings.Contains(st, "検証済み") {
			t.Fatalf("%s serial: verify status %q", c.name, st)
		}
		if !strings.Contains(fields, c.status) || certShown {
			t.Fatalf("%s serial: fields %q, certificate shown %v", c.name, fields, certShown)
		}
		if c.name == "cancelled" {
			mustContain(t, "cancelled serial", fields, "JCX-00000001", "double counting found in audit")
		}
		b.shot("serial-" + c.name + "-ja")
	}

	// An absent serial: the API's own message, not a bare "not found".
	_, body, _ := get(t, base+"/api/v1/serials/"+absentSerial)
	var apiErr struct{ Error string }
	if err := json.Unmarshal(body, &apiErr); err != nil || apiErr.Error == "" {
		t.Fatalf("API answer for an absent serial: %s", body)
	}
	var msg string
	b.run("search an absent serial",
		chromedp.SetValue(`#q`, absentSerial, chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		wait(`document.getElementById("message").textContent !== ""`),
		chromedp.Text(`#message`, &msg, chromedp.ByQuery),
	)
	mustContain(t, "absent serial's message", msg, apiErr.Error)

	// English, shared by ?lang=en.
	var url string
	b.run("open the certificate in English by its link",
		chromedp.Navigate(base+"/?lang=en#/retirement/"+retirementID),
		wait(`document.getElementById("cert-verified").dataset.state === "verified"`),
		chromedp.Location(&url),
	)
	cert = b.text("#certificate")
	mustContain(t, "English certificate", cert, "Retirement certificate", "✓ Verified", retirementID, beneficiary, "RE100", "Fiscal year", "100 t-CO2")
	if strings.Contains(cert, "Block height") {
		t.Fatalf("the migrated retirement's certificate shows a block height: %q", cert)
	}
	if b.text("h1") != "J-Credit Registry" || !strings.Contains(b.text("#verify-status"), "Verified") {
		t.Fatal("English page: title or verify status")
	}
	b.shot("certificate-en")
	b.run("switch to Japanese: the URL says so",
		chromedp.Click(`#lang-ja`, chromedp.ByQuery),
		wait(`document.getElementById("cert-verified").textContent === "✓ 検証済み"`),
		chromedp.Location(&url))
	if !strings.Contains(url, "lang=ja") || b.text("h1") != "J-クレジット 登録簿" {
		t.Fatalf("after switching to Japanese: URL %s", url)
	}
	b.run("and back to English", chromedp.Click(`#lang-en`, chromedp.ByQuery), wait(`document.querySelector("h1").textContent === "J-Credit Registry"`),
		wait(`document.getElementById("cert-verified").dataset.state === "verified"`))

	// The verdict in the verifier's words, the trust root and the walk.
	var statement string
	// Shown, not merely in the page.
	b.run("read the statement", chromedp.Text(`#verify-statement`, &statement, chromedp.ByQuery, chromedp.NodeVisible))
	if !strings.HasPrefix(statement, "AS OF state ") || !strings.Contains(statement, retirementID) || !strings.Contains(b.text("#verify-trust"), nodetest.ChainID) {
		t.Fatalf("statement %q", statement)
	}

	// Drop a proof file: it verifies, the trust root shown; a tampered one
	// is refused.
	_, bundle, _ := get(t, base+"/api/v1/proofs/retirement/"+made.ID)
	tampered := strings.Replace(string(bundle), txBeneficiary, "偽物株式会社", 1)
	if tampered == string(bundle) {
		t.Fatal("the bundle does not name the beneficiary; cannot tamper with it")
	}
	drop := func(name, content string) chromedp.Action {
		return chromedp.Evaluate(fmt.Sprintf(`(() => {
			const dt = new DataTransfer();
			dt.items.add(new File([%s], %q, { type: "application/json" }));
			document.getElementById("drop").dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: dt }));
			return true; })()`, jsString(content), name), nil)
	}
	var dropped, droppedTrust string
	b.run("drop the proof file on the page",
		chromedp.Navigate(base+"/?lang=en#/verify"),
		chromedp.WaitVisible(`#drop`, chromedp.ByQuery),
		drop("proof.json", string(bundle)),
		settled,
		chromedp.Text(`#verify-status`, &dropped, chromedp.ByQuery),
		chromedp.Text(`#verify-trust`, &droppedTrust, chromedp.ByQuery, chromedp.NodeVisible),
	)
	mustContain(t, "dropped proof", dropped, "Verified")
	mustContain(t, "dropped proof's trust root", droppedTrust, strings.ToUpper(trustHash), nodetest.ChainID)
	mustContain(t, "dropped proof's statement", b.text("#verify-statement"), made.ID)
	b.shot("drop-verified-en")
	b.run("drop a tampered proof file",
		drop("tampered.json", tampered),
		wait(`document.getElementById("verify-status").dataset.state === "failed"`),
		chromedp.Text(`#verify-status`, &dropped, chromedp.ByQuery),
	)
	mustContain(t, "tampered proof", dropped, "Verification failed")
	b.shot("drop-tampered-en")

	// A wrong trust root is refused, naming the trust step.
	b.run("a wrong trust root is refused",
		chromedp.Navigate(base+"/?lang=en#/serial/"+retiredSerial),
		settled,
		chromedp.Click(`#trust-details summary`, chromedp.ByQuery),
		chromedp.SetValue(`#trust`, strings.Repeat("ab", 32), chromedp.ByQuery),
		chromedp.Click(`#reverify`, chromedp.ByQuery),
		wait(`document.getElementById("verify-status").dataset.state === "failed"`),
	)
	mustContain(t, "wrong trust root", b.text("#verify-status"), "trust step failed")

	// The retirement list, filtered, and its CSV link.
	var list, csvHref string
	b.run("filter the retirements",
		chromedp.Navigate(base+"/?lang=en#/retirements?use=USE_RE100&fiscal_year=2025"),
		wait(`document.querySelectorAll("#list tbody tr").length === 2`),
		chromedp.Text(`#list tbody`, &list, chromedp.ByQuery),
		chromedp.AttributeValue(`#csv-link`, "href", &csvHref, nil, chromedp.ByQuery),
	)
	mustContain(t, "filtered retirements", list, made.ID, retirementID, txBeneficiary, "kyoto")
	if !strings.Contains(csvHref, "api/v1/retirements?use=USE_RE100&fiscal_year=2025&format=csv") {
		t.Fatalf("CSV link %q", csvHref)
	}
	_, csv, _ := get(t, base+"/api/v1/retirements?use=USE_RE100&fiscal_year=2025&format=csv")
	mustContain(t, "CSV", string(csv), "\ufeff", made.ID, retirementID, txBeneficiary)
	b.run("the cancellations",
		chromedp.Navigate(base+"/?lang=en#/cancellations"),
		wait(`(document.querySelector("#list tbody") || {}).textContent?.includes("JCX-00000001")`))
	mustContain(t, "cancellations", b.text("#list tbody"), "meti", "double counting found in audit", "JC-00000001")

	// An account page: legal name, roles, its public retirements; the
	// address one click away.
	var account string
	b.run("open the retiring account from the list",
		chromedp.Navigate(base+"/?lang=en#/retirements?use=USE_RE100&fiscal_year=2025"),
		wait(`document.querySelectorAll("#list tbody tr").length === 2`),
		chromedp.Click(`#list tbody tr:first-child td:nth-child(4) a`, chromedp.ByQuery),
		wait(`!!document.querySelector("#account-retirements tbody tr") && !!document.querySelector("#account-totals table")`),
		chromedp.Text(`#page`, &account, chromedp.ByQuery),
	)
	mustContain(t, "account totals", b.text("#account-totals"), "RE100", "2025", "250", "every use")
	mustContain(t, "account page", account, "kyoto", apptest.Addr("kyoto").Hex(), "Roles", "Creator", "Corporation", "JP", made.ID)
	if strings.Contains(account, "[object Object]") {
		t.Errorf("the account page prints a label as [object Object]:\n%s", account)
	}
	b.shot("account-en")

	// Search by name finds the program-type project; its members and
	// shares.
	var members string
	b.run("search a project by a full-width name (the API's ?name= folds widths)",
		chromedp.SetValue(`#q`, "ＨＥＡＴ ｐｕｍｐ", chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		wait(`!!document.querySelector("#search-projects tbody tr")`),
	)
	b.run("search a project by name",
		chromedp.SetValue(`#q`, "heat pump", chromedp.ByQuery),
		chromedp.Click(`#search-btn`, chromedp.ByQuery),
		wait(`!!document.querySelector("#search-projects tbody tr")`),
		chromedp.Click(`#search-projects tbody tr:first-child a`, chromedp.ByQuery),
		wait(`!!document.querySelector("#project-members tbody tr:nth-child(2)")`),
		chromedp.Text(`#project-members`, &members, chromedp.ByQuery),
	)
	mustContain(t, "members", members, "Kyoto plant", "Fushimi", "60.00 %", "Kiwa office", "40.00 %", "kiwa")
	b.shot("program-project-en")

	b.markets(t, n, base)

	b.noCSPViolation()
}

// markets walks issue 14's views: meti, a GX-ETS operator, retires 30 of
// its 100 t-CO2 cap for fiscal year 2026, locks serials 801-810 for the
// exchange's settlement agent (tse) and offers credits of its batch for
// sale. The offers list (filtered, holders by legal name, batches linked),
// the locked serial's card and the operator's compliance summary, whose
// proof verifies in the page.
func (b *browser) markets(t *testing.T, n *node.Node, base string) {
	meti := apptest.Addr("meti").Hex()
	sendTx(t, n, "meti", &accountsv1.MsgSetGxOperator{Address: meti, CorporateNumber: "1180301018771", FiscalYear: 2026, VerifiedTCo2: 1000,
		DocumentHash: strings.Repeat("cd", 32)})
	gx := sendTx(t, n, "meti", &creditsv1.MsgRetire{Quantity: 30, Beneficiary: "経済産業省", Use: creditsv1.Use_USE_GX_ETS, FiscalYear: 2026})
	gxID := eventAttr(t, gx.Events, "credits.retirement", "retirement_id")
	until := gx.Height + 500
	sendTx(t, n, "meti", &creditsv1.MsgLock{Serials: []string{"JC-00000001-RE-2024-0000000801-0000000810"}, Agent: apptest.Addr("tse").Hex(),
		ExpiresHeight: until, Reference: "TSE trade 42"})
	res := sendTx(t, n, "meti", &creditsv1.MsgPublishOffer{Filter: &creditsv1.Filter{BatchId: "JC-00000001"}, Quantity: 100, PriceYenPerT: 3200,
		Contact: "credits@meti.example"})
	nodetest.WaitHeight(t, nodetest.Client(t, n), res.Height+1)

	var offers string
	b.run("the credits for sale, filtered by batch",
		chromedp.Navigate(base+"/?lang=ja#/offers?batch_id=JC-00000001"),
		wait(`!!document.querySelector("#list tbody tr")`),
		chromedp.Text(`#page`, &offers, chromedp.ByQuery))
	mustContain(t, "offers", offers, "売り出しクレジット一覧", "OF-00000001", "meti", "JC-00000001", "3,200", "100", "credits@meti.example", "現在引渡し可能")
	var batchHref, holderHref string
	b.eval(`document.querySelector("#list tbody tr td:nth-child(3) a").getAttribute("href")`, &batchHref)
	b.eval(`document.querySelector("#list tbody tr td:nth-child(2) a").getAttribute("href")`, &holderHref)
	if batchHref != "#/batch/JC-00000001" || !strings.HasPrefix(holderHref, "#/account/") {
		t.Fatalf("offer links: batch %q, holder %q", batchHref, holderHref)
	}
	b.shot("offers-ja")
	b.run("no offer of forest credits",
		chromedp.Navigate(base+"/?lang=en#/offers?category=CATEGORY_FOREST"),
		wait(`(document.querySelector("#list") || {dataset: {}}).dataset.loaded === "true" && document.querySelector("#f-category").value === "CATEGORY_FOREST"`))
	if rows := b.text("#list tbody"); strings.Contains(rows, "OF-00000001") {
		t.Fatalf("forest filter lists %q", rows)
	}

	locked := "JC-00000001-RE-2024-0000000805"
	var card string
	b.run("a locked serial's card",
		chromedp.Navigate(base+"/?lang=en#/serial/"+locked),
		wait(`(document.querySelector('#serial-fields dd[data-field="lock"]') || {}).textContent?.includes("tse")`),
		settled,
		chromedp.Text(`#serial-fields`, &card, chromedp.ByQuery))
	mustContain(t, "locked serial", card, "Locked", fmt.Sprintf("LOCKED for tse until block %d (LK-00000001)", until))
	mustContain(t, "locked serial's proof", b.text("#verify-status"), "Verified")
	b.run("the lock in Japanese", chromedp.Click(`#lang-ja`, chromedp.ByQuery),
		wait(`(document.querySelector('#serial-fields dd[data-field="lock"]') || {}).textContent?.includes("のためにロック中")`))
	mustContain(t, "locked serial (ja)", b.text(`#serial-fields dd[data-field="lock"]`), fmt.Sprintf("tse のためにロック中（ブロック %d まで、LK-00000001）", until))
	b.shot("serial-locked-ja")

	var summary string
	b.run("an operator's compliance summary",
		chromedp.Navigate(base+"/?lang=en#/account/"+meti+"?fy=2026"),
		wait(`!!document.querySelector("#gx-fields")`),
		chromedp.Text(`#account-gx`, &summary, chromedp.ByQuery))
	mustContain(t, "GX-ETS summary", summary, "GX-ETS operator's compliance", "1180301018771", "2026", "1,000 t-CO2", "100 t-CO2 (10 %)", "30 t-CO2", "70 t-CO2", gxID)
	b.run("verify the operator's year in the page",
		chromedp.Click(`#gx-verify`, chromedp.ByQuery),
		wait(`document.getElementById("verify-status").dataset.state === "verified" && document.getElementById("verify-statement").textContent.includes("GX-ETS")`))
	mustContain(t, "GX-ETS statement", b.text("#verify-statement"), "corporate number 1180301018771", "fiscal year 2026", "retired for GX-ETS 30 t-CO2")
	var download string
	b.eval(`document.getElementById("download").getAttribute("href")`, &download)
	if !strings.HasPrefix(download, "api/v1/proofs/gx-ets/") || !strings.HasSuffix(download, "/2026?download=1") {
		t.Fatalf("GX-ETS download link %q", download)
	}
	b.shot("account-gx-en")
	b.run("the summary in Japanese", chromedp.Click(`#lang-ja`, chromedp.ByQuery),
		wait(`(document.querySelector("#gx-fields") || {}).textContent?.includes("検証済み排出量")`))
	mustContain(t, "GX-ETS summary (ja)", b.text("#account-gx"), "GX-ETS 対象事業者の遵守状況", "法人番号", "使用上限", "残りの使用可能量")
	// A holder that is no operator shows no summary.
	var shown bool
	b.run("no summary for another account",
		chromedp.Navigate(base+"/?lang=en#/account/"+apptest.Addr("kyoto").Hex()),
		wait(`!!document.querySelector("#account-fields") && document.getElementById("account-gx").dataset.state === "none"`),
		chromedp.Evaluate(`!!document.querySelector("#gx-fields")`, &shown))
	if shown {
		t.Fatal("an account that is no GX-ETS operator shows a compliance summary")
	}
}

// home checks the home's statistics, counters the node keeps in state:
// 1,000 credits migrated in the genesis and 250 issued by certification;
// 350 retired (100 and 250) for RE100 in fiscal year 2025; 50 cancelled;
// one project registered and one submitted. Each breakdown is a chart
// (SVG) with its table.
func (b *browser) home(t *testing.T) {
	var totals, stats string
	var charts int
	b.run("the home's statistics",
		wait(`!!document.querySelector("#stats-totals") && !!document.querySelector('#stats [data-stat="projects"]')`),
		chromedp.Text(`#stats-totals`, &totals, chromedp.ByQuery),
		chromedp.TextContent(`#stats`, &stats, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#stats svg.chart").length`, &charts))
	mustContain(t, "statistics' totals", totals, "1,250", "350", "50", "850")
	for _, dim := range []string{"category", "vintage_year", "fiscal_year", "use", "methodology", "projects"} {
		var n int
		b.eval(fmt.Sprintf(`document.querySelectorAll('#stats [data-stat=%q] svg.chart rect').length`, dim), &n)
		if n == 0 {
			t.Fatalf("statistics by %s: no bar drawn (%s)", dim, stats)
		}
	}
	mustContain(t, "statistics", stats, "再生可能エネルギー（電力）", "FY2025", "RE100", "EN-R-002", "2024", "登録済み", "申請中")
	t.Logf("home statistics: %d charts; totals %q", charts, totals)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	bz, _ := json.Marshal(s)
	return string(bz)
}

// TestBrowserRecentBatches: with more than 1,000 batches the home's
// "recent batches" are the newest (issue 13: they froze at 1000, 999).
func TestBrowserRecentBatches(t *testing.T) {
	const batches = 1005
	g := &creditsv1.GenesisState{}
	owner := apptest.Addr("meti").Hex()
	for i := 1; i <= batches; i++ {
		id := fmt.Sprintf("JC-%08d", i)
		g.Batches = append(g.Batches, &creditsv1.Batch{Id: id, Number: uint64(i), ProjectId: "P-0001", ReportId: fmt.Sprintf("R-%04d", i), Methodology: "EN-R-002",
			Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2024-04-01", VintageEnd: "2025-03-31", Issued: 10, Active: 10})
		g.Ranges = append(g.Ranges, &creditsv1.Range{BatchId: id, Start: 1, End: 10, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	}
	bz, err := protojson.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	_, _, base := startNodeWith(t, bz)
	b := newBrowser(t, "en-GB")
	var first, second string
	b.run("open the home",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#batches tbody tr`, chromedp.ByQuery),
		chromedp.Text(`#batches tbody tr:nth-child(1) td:first-child`, &first, chromedp.ByQuery),
		chromedp.Text(`#batches tbody tr:nth-child(2) td:first-child`, &second, chromedp.ByQuery),
	)
	if first != "JC-00001005" || second != "JC-00001004" {
		t.Fatalf("recent batches begin %s, %s; want JC-00001005, JC-00001004", first, second)
	}
	if b.text("h1") != "J-Credit Registry" {
		t.Fatal("an English browser does not get the English page by default")
	}
	b.shot("home-1005-batches-en")
	b.noCSPViolation()
}
