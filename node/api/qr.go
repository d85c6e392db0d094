package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"rsc.io/qr"

	"github.com/jcredit/jcredit/node/proof"
)

// The printable certificate carries a QR code of its proof's URL, so that
// a paper copy can be checked years later: scan, download the bundle,
// verify it against the validator-set hash printed beside the code. The
// code is drawn here (SVG, crisp at any print size) rather than by a
// script fetched from elsewhere, which the page's CSP forbids.

// proofURL is the absolute URL of a proof bundle as the client reached
// this server: the Host it asked (or X-Forwarded-Host/-Proto when a
// proxy in front says so; a client can only change its own answer).
func proofURL(r *http.Request, kind, subject string) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		host = h
	}
	return scheme + "://" + host + "/api/v1/proofs/" + kind + "/" + url.PathEscape(subject) + "?download=1"
}

// qrSVG draws code as an SVG of black modules on white with the standard
// four-module quiet zone.
func qrSVG(c *qr.Code) []byte {
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}

// proofQR answers the QR code (SVG) of the proof URL of kind and subject;
// the URL itself is in the X-Jcredit-Proof-Url header. The subject is
// checked like the proof route's, but the proof is not built: a code is
// cheap and a certificate prints it only for a record the page has shown.
func (s *Server) proofQR(w http.ResponseWriter, r *http.Request) {
	kind, subject := r.PathValue("kind"), r.PathValue("subject")
	chk, ok := proofSubjects[kind]
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("no proof kind %q (%s)", kind, strings.Join(proof.Kinds(), ", ")))
		return
	}
	if err := chk(subject); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	u := proofURL(r, kind, subject)
	code, err := qr.Encode(u, qr.M) // M: 15% of the code may be damaged (a folded or stamped paper)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("X-Jcredit-Proof-Url", u)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Add("Vary", "Host, X-Forwarded-Host, X-Forwarded-Proto")
	w.Write(qrSVG(code))
}
