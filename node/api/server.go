package api

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/node/proof"
	"github.com/jcredit/jcredit/x/module"
)

//go:embed web
var webFS embed.FS

// Server is the public read-only API and web page of one node.
type Server struct {
	app    *app.App
	source proof.Source
	mux    *http.ServeMux
	// verifier is the in-page verifier, hashed and compressed once.
	verifier verifierFile
	srv      *http.Server
	ln       net.Listener
	limiter  *connLimiter
	// exports counts the exports streaming (Limits.MaxExports).
	exports atomic.Int32
	// Limits applies from Start (DefaultLimits when zero).
	Limits Limits
	// feed is the live feed (events.go), nil until AttachFeed.
	feed *Feed
	// PublicHoldings serves per-account holdings and every account detail
	// ([api] public_holdings); off, only accounts' numbers, addresses and
	// legal names (visibility.go). Set before Start.
	PublicHoldings bool
}

// AttachFeed serves the live feed (/api/v1/events) of the node whose
// CometBFT event bus is bus, replaying missed events from hist (nil: no
// replay).
func (s *Server) AttachFeed(bus *cmttypes.EventBus, l FeedLimits, hist FeedHistory) error {
	f := NewFeed(l)
	f.SetHistory(hist)
	if err := f.Follow(bus); err != nil {
		return err
	}
	s.feed = f
	return nil
}

// SetFeed serves f as the live feed (tests publish to it themselves).
func (s *Server) SetFeed(f *Feed) { s.feed = f }

// New builds the server over the node's app (for queries) and a proof
// Source (the node's own RPC, for headers and validator sets).
func New(a *app.App, src proof.Source) *Server {
	s := &Server{app: a, source: src, mux: http.NewServeMux(), Limits: DefaultLimits}
	s.routes()
	return s
}

func (s *Server) routes() {
	none := params{}
	s.mux.HandleFunc("/api/v1/status", guard(none, s.status))
	s.mux.HandleFunc("/api/v1/events", guard(params{query: map[string]check{"since": nil}}, s.events)) // events.go: the live feed
	s.mux.HandleFunc("/api/v1/trust", guard(params{query: map[string]check{"height": checkPositive("height")}}, s.trust))
	s.queryRoutes() // queries.go: every record and list, each one module query
	proofQuery := map[string]check{"download": nil, "trust_height": checkPositive("trust_height")}
	s.mux.HandleFunc("/api/v1/proofs/{kind}/{subject}", guard(params{query: proofQuery}, s.proof))
	stmtQuery := map[string]check{"trust_height": checkPositive("trust_height")}
	statement, qr := guard(params{query: stmtQuery}, s.statement), guard(none, s.proofQR)
	// One pattern for a bundle's statement and QR code: beside the GX-ETS
	// route below, separate .../statement and .../qr patterns would be
	// ambiguous for /proofs/gx-ets/7/statement (net/http panics on that).
	s.mux.HandleFunc("/api/v1/proofs/{kind}/{subject}/{view}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("view") {
		case "statement":
			statement(w, r)
		case "qr":
			qr(w, r)
		default:
			writeError(w, http.StatusNotFound, "no such endpoint: a proof route ends in /statement or /qr")
		}
	})
	// A GX-ETS bundle's subject ("7/2026") holds a slash, so its own route
	// takes the operator (address or number) and the fiscal year apart.
	gxPath := map[string]check{"operator": checkAccount, "fiscal_year": checkFiscalYear}
	s.mux.HandleFunc("/api/v1/proofs/gx-ets/{operator}/{fiscal_year}", guard(params{path: gxPath, query: proofQuery}, s.proof))
	s.mux.HandleFunc("/api/v1/proofs/gx-ets/{operator}/{fiscal_year}/statement", guard(params{path: gxPath, query: stmtQuery}, s.statement))
	s.mux.HandleFunc("/api/v1/verifier", guard(none, s.verifierInfo))
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint; see /api/v1/status and the API documentation")
	})
	sub, _ := fs.Sub(webFS, "web")
	s.verifier.fsys = sub
	files := http.FileServer(http.FS(sub))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/verifier.wasm":
			s.serveWasm(w, r, "")
		case strings.HasPrefix(r.URL.Path, "/verifier-") && strings.HasSuffix(r.URL.Path, ".wasm"):
			s.serveWasm(w, r, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/verifier-"), ".wasm"))
		default:
			files.ServeHTTP(w, r)
		}
	})
}

// ContentSecurityPolicy is sent with every answer. The page loads only
// its own scripts, styles and the verifier, and talks only to this node;
// 'wasm-unsafe-eval' lets it compile the WebAssembly verifier (and nothing
// else: no eval of JavaScript); no site may frame it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler is the whole site: read-only, GET (and HEAD) only, CORS open
// for GET so that other sites may show this registry's data, the page
// protected by a Content-Security-Policy and never framed.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if err := validUTF8(r); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.mux.ServeHTTP(w, r)
		case http.MethodOptions:
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type")
			h.Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
		default:
			h.Del("Access-Control-Allow-Origin")
			h.Set("Allow", "GET, HEAD, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, "this API is read-only: only GET is allowed")
		}
	})
}

// Start listens on laddr ("127.0.0.1:1317"; port 0 picks one) and serves in
// the background. It returns the address listened on.
func (s *Server) Start(laddr string) (string, error) {
	// CometBFT writes addresses as tcp://host:port; accept that spelling.
	ln, err := net.Listen("tcp", strings.TrimPrefix(laddr, "tcp://"))
	if err != nil {
		return "", fmt.Errorf("api: listen %s: %w", laddr, err)
	}
	l := s.Limits
	if l.MaxConns <= 0 {
		l = DefaultLimits
	}
	s.limiter = newConnLimiter(ln, l.MaxConns)
	s.ln = s.limiter
	s.srv = &http.Server{
		Handler: s.Handler(), ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: l.MaxHeaderBytes,
		ConnState: s.limiter.connState,
	}
	go s.srv.Serve(s.limiter) //nolint:errcheck // ends with ErrServerClosed on Close
	return ln.Addr().String(), nil
}

// ConnStats reports the connection limiter's counts (zero before Start).
func (s *Server) ConnStats() LimiterStats {
	if s.limiter == nil {
		return LimiterStats{}
	}
	return s.limiter.Stats()
}

// Close stops the server.
func (s *Server) Close() error {
	if s.feed != nil {
		s.feed.Close() // ends the streams, which Shutdown would wait for
	}
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	switch b := v.(type) {
	case []byte:
		w.Write(b)
	case json.RawMessage:
		w.Write(b)
	default:
		json.NewEncoder(w).Encode(v)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) answer(w http.ResponseWriter, res *abci.QueryResponse, err error) {
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if res.Code != 0 {
		status := http.StatusInternalServerError
		switch {
		case res.Codespace == module.ErrNotFound.Codespace && res.Code == module.ErrNotFound.Code:
			status = http.StatusNotFound
		case res.Codespace == module.ErrBadQuery.Codespace && res.Code == module.ErrBadQuery.Code:
			status = http.StatusBadRequest
		case res.Codespace != "app" && res.Codespace != "":
			status = http.StatusNotFound
		}
		writeError(w, status, res.Log)
		return
	}
	w.Header().Set("X-Jcredit-Height", strconv.FormatInt(res.Height, 10))
	writeJSON(w, http.StatusOK, res.Value)
}

// Status is the answer of /api/v1/status.
type Status struct {
	ChainID string `json:"chain_id"`
	// Height is the latest committed state; ProvableHeight the latest
	// whose app hash is in a signed header (proofs are at that height).
	Height int64 `json:"height"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	snap, err := s.app.Snapshot()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, Status{ChainID: s.app.ChainID(), Height: snap.Version()})
}

// Trust is the answer of /api/v1/trust: the validator set of a block (the
// genesis block unless ?height=N) as this node reports it, with the chain
// it signs for. A careful verifier compares its hash with one obtained
// elsewhere (the registry's publication) rather than trusting this node;
// `jcreditd verify --trust` and the page read this answer as a trust root.
type Trust struct {
	ChainID        string            `json:"chain_id"`
	Height         int64             `json:"height"`
	ValidatorsHash proof.HexBytes    `json:"validators_hash"`
	Validators     []proof.Validator `json:"validators"`
}

func (s *Server) trust(w http.ResponseWriter, r *http.Request) {
	h := int64(1)
	if v := r.URL.Query().Get("height"); v != "" {
		h, _ = strconv.ParseInt(v, 10, 64) // checked by the route
		latest, err := s.source.LatestHeight(r.Context())
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		if h > latest {
			writeError(w, http.StatusNotFound, fmt.Sprintf("block %d is not committed yet (latest %d)", h, latest))
			return
		}
	}
	vs, err := s.source.Validators(r.Context(), h)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, Trust{ChainID: s.app.ChainID(), Height: h, ValidatorsHash: vs.Hash(), Validators: proof.FromValidatorSet(vs)})
}

// buildProof builds the bundle of a proof route, or writes the error.
func (s *Server) buildProof(w http.ResponseWriter, r *http.Request) (*proof.Bundle, *proof.Builder, bool) {
	kind, subject := r.PathValue("kind"), r.PathValue("subject")
	operator := r.PathValue("operator") // the GX-ETS route's (checked by it)
	if operator != "" {
		kind, subject = proof.KindGxEts, operator+"/"+r.PathValue("fiscal_year")
	}
	chk, ok := proofSubjects[kind]
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("no proof kind %q (%s)", kind, strings.Join(proof.Kinds(), ", ")))
		return nil, nil, false
	}
	if err := chk(subject); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return nil, nil, false
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	// ?trust_height=N: the verifier trusts the set of block N instead of
	// genesis's (the header chain then starts there).
	b := &proof.Builder{Source: s.source, TrustHeight: 1}
	if v := r.URL.Query().Get("trust_height"); v != "" {
		b.TrustHeight, _ = strconv.ParseInt(v, 10, 64) // checked by the route
	}
	var bd *proof.Bundle
	var err error
	switch kind {
	case proof.KindRetirement:
		bd, err = b.Retirement(ctx, subject)
	case proof.KindSerial:
		bd, err = b.Serial(ctx, subject)
	case proof.KindAccount:
		if !s.PublicHoldings {
			writeError(w, http.StatusForbidden, "an account's proof bundle carries its whole record, and this node does not publish account details ([api] public_holdings is off); "+
				"its number, address and legal name are at /api/v1/accounts/{account}, and a proof of it can be built against any node whose RPC you may query")
			return nil, nil, false
		}
		bd, err = b.Account(ctx, subject)
	case proof.KindBatch:
		bd, err = b.Batch(ctx, subject)
	case proof.KindCancellation:
		bd, err = b.Cancellation(ctx, subject)
	case proof.KindTotal:
		bd, err = b.Total(ctx, subject)
	case proof.KindGxEts:
		op, fy, _ := strings.Cut(subject, "/")
		y, _ := strconv.ParseUint(fy, 10, 32) // checked by checkGxSubject
		bd, err = b.GxEtsFor(ctx, op, uint32(y))
	}
	if err != nil {
		status := http.StatusBadRequest
		var qe *proof.QueryError
		switch {
		case errors.Is(err, proof.ErrNotFound) || errors.Is(err, proof.ErrUnprovable) || (errors.As(err, &qe) && qe.NotFound()):
			status = http.StatusNotFound
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
			status = http.StatusServiceUnavailable
		}
		writeError(w, status, err.Error())
		return nil, nil, false
	}
	return bd, b, true
}

// proof serves a bundle; ?download=1 names it as a file.
func (s *Server) proof(w http.ResponseWriter, r *http.Request) {
	bd, _, ok := s.buildProof(w, r)
	if !ok {
		return
	}
	raw, err := bd.Marshal()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if r.URL.Query().Get("download") != "" {
		name := strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == '"' {
				return '_'
			}
			return r
		}, bd.Kind+"-"+bd.Subject+".proof.json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	writeJSON(w, http.StatusOK, raw)
}

// statement answers what the proof bundle of the same route proves, in
// the words `jcreditd verify` and the page use, as this node's verifier
// finds it against the validator set of the trust height (genesis by
// default) — a convenience: the answer is only as trustworthy as this
// node; verify the bundle yourself for independent assurance.
func (s *Server) statement(w http.ResponseWriter, r *http.Request) {
	bd, b, ok := s.buildProof(w, r)
	if !ok {
		return
	}
	vs, err := s.source.Validators(r.Context(), max(b.TrustHeight, 1))
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	trust := proof.TrustSet(vs, s.app.ChainID())
	trust.Height = max(b.TrustHeight, 1)
	res, err := proof.Verify(bd, trust)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "this node's own bundle does not verify: "+err.Error())
		return
	}
	w.Header().Set("X-Jcredit-Verified-By", "this node, against its validator set of block "+strconv.FormatInt(trust.Height, 10))
	writeJSON(w, http.StatusOK, res)
}
