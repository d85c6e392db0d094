package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// The in-page verifier (web/verifier.wasm, make wasm) is large, so the
// page loads it only when a proof is to be checked, from a URL named by
// its content (/verifier-<sha256 prefix>.wasm) that browsers may keep for
// a year without asking again: a new build has a new name. The bare
// /verifier.wasm stays for older pages, cached for an hour.

// verifierFile is the verifier, read, hashed and gzipped once.
type verifierFile struct {
	fsys fs.FS
	once sync.Once
	raw  []byte
	gz   []byte
	hash string // hex SHA-256
	err  error
}

func (v *verifierFile) load() error {
	v.once.Do(func() {
		v.raw, v.err = fs.ReadFile(v.fsys, "verifier.wasm")
		if v.err != nil {
			return
		}
		sum := sha256.Sum256(v.raw)
		v.hash = hex.EncodeToString(sum[:])
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(v.raw)
		zw.Close()
		v.gz = buf.Bytes()
	})
	return v.err
}

// name is the content-hashed file name.
func (v *verifierFile) name() string { return "verifier-" + v.hash[:16] + ".wasm" }

const noVerifier = "this binary was built without the in-page verifier: run make wasm, then rebuild"

// VerifierInfo is the answer of /api/v1/verifier.
type VerifierInfo struct {
	URL       string `json:"url"`    // relative to the site's root
	SHA256    string `json:"sha256"` // of the uncompressed module
	Bytes     int    `json:"bytes"`
	GzipBytes int    `json:"gzip_bytes"` // sent to browsers that accept gzip
}

func (s *Server) verifierInfo(w http.ResponseWriter, r *http.Request) {
	v := &s.verifier
	if err := v.load(); err != nil {
		writeError(w, http.StatusNotFound, noVerifier)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, VerifierInfo{URL: v.name(), SHA256: v.hash, Bytes: len(v.raw), GzipBytes: len(v.gz)})
}

// serveWasm serves the verifier, gzipped (about a fifth of the size) when
// the browser accepts it. hash is the content hash in the URL ("" for
// the bare name): a stale one is 404, so that a page never runs a
// verifier other than the one it asked for.
func (s *Server) serveWasm(w http.ResponseWriter, r *http.Request, hash string) {
	v := &s.verifier
	if err := v.load(); err != nil {
		writeError(w, http.StatusNotFound, noVerifier)
		return
	}
	h := w.Header()
	if hash == "" {
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		if len(hash) < 16 || !strings.HasPrefix(v.hash, hash) {
			writeError(w, http.StatusNotFound, "no verifier of that hash here (this node serves "+v.name()+"; see /api/v1/verifier)")
			return
		}
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	h.Set("Content-Type", "application/wasm")
	h.Set("ETag", `"`+v.hash[:32]+`"`)
	h.Add("Vary", "Accept-Encoding")
	body := v.raw
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = v.gz
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, v.hash[:32]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptsGzip reads Accept-Encoding: gzip listed and not refused (q=0).
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
