// Command wasmsize prints where the bytes of a Go WebAssembly module go:
// the size of each section, and the code bytes of each Go package (from
// the module's "name" section, so build it without -ldflags=-s). `go tool
// nm` does not read WebAssembly; this does the part of its job that
// shrinking the in-page verifier needs (make wasm-size).
//
//	go run ./scripts/wasmsize [-n 40] [-pkgs deps.txt] verifier.wasm
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("n", 40, "packages to list")
	pkgFile := flag.String("pkgs", "", "file of package paths, one a line (go list -deps), to group symbols by")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-n N] file.wasm")
		os.Exit(2)
	}
	raw, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var pkgs []string
	if *pkgFile != "" {
		b, err := os.ReadFile(*pkgFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pkgs = strings.Fields(string(b))
	}
	if err := report(raw, *top, pkgs); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

type reader struct {
	b   []byte
	off int
}

func (r *reader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		return 0, errors.New("bad varint")
	}
	r.off += n
	return v, nil
}

func (r *reader) bytes(n uint64) ([]byte, error) {
	if uint64(len(r.b)-r.off) < n {
		return nil, errors.New("truncated")
	}
	b := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return b, nil
}

var sectionNames = map[byte]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

func report(raw []byte, top int, pkgs []string) error {
	if len(raw) < 8 || !bytes.Equal(raw[:4], []byte("\x00asm")) {
		return errors.New("not a WebAssembly module")
	}
	r := &reader{b: raw, off: 8}
	var imports int
	var bodies []int
	names := map[int]string{}
	fmt.Printf("%-24s %12s\n", "section", "bytes")
	for r.off < len(raw) {
		id := raw[r.off]
		r.off++
		size, err := r.uvarint()
		if err != nil {
			return err
		}
		body, err := r.bytes(size)
		if err != nil {
			return err
		}
		label := sectionNames[id]
		s := &reader{b: body}
		switch id {
		case 0:
			n, _ := s.uvarint()
			nm, _ := s.bytes(n)
			label = "custom " + string(nm)
			if string(nm) == "name" {
				readNames(s, names)
			}
		case 2:
			n, _ := s.uvarint()
			for i := uint64(0); i < n; i++ {
				for j := 0; j < 2; j++ {
					l, _ := s.uvarint()
					s.bytes(l)
				}
				kind := s.b[s.off]
				s.off++
				if kind != 0 {
					return errors.New("only function imports are read")
				}
				s.uvarint()
				imports++
			}
		case 10:
			n, _ := s.uvarint()
			for i := uint64(0); i < n; i++ {
				l, _ := s.uvarint()
				s.bytes(l)
				bodies = append(bodies, int(l))
			}
		}
		fmt.Printf("%-24s %12d\n", label, size)
	}
	fmt.Printf("%-24s %12d\n\n", "total", len(raw))
	if len(names) == 0 {
		fmt.Println("(no name section: build without -ldflags=-s to see code by package)")
		return nil
	}
	byPkg := map[string]int{}
	total := 0
	for i, n := range bodies {
		byPkg[pkgOf(names[imports+i], pkgs)] += n
		total += n
	}
	type row struct {
		pkg string
		n   int
	}
	var rows []row
	for p, n := range byPkg {
		rows = append(rows, row{p, n})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].n > rows[j].n || rows[i].n == rows[j].n && rows[i].pkg < rows[j].pkg
	})
	fmt.Printf("code bytes by package (%d functions, %d bytes; top %d)\n", len(bodies), total, top)
	for i, rw := range rows {
		if i == top {
			break
		}
		fmt.Printf("%10d %5.1f%%  %s\n", rw.n, 100*float64(rw.n)/float64(total), rw.pkg)
	}
	return nil
}

// readNames reads the function-names subsection (1) of a "name" section.
func readNames(s *reader, names map[int]string) {
	for s.off < len(s.b) {
		id := s.b[s.off]
		s.off++
		size, err := s.uvarint()
		if err != nil {
			return
		}
		sub, err := s.bytes(size)
		if err != nil || id != 1 {
			continue
		}
		t := &reader{b: sub}
		n, _ := t.uvarint()
		for i := uint64(0); i < n; i++ {
			idx, err := t.uvarint()
			if err != nil {
				return
			}
			l, _ := t.uvarint()
			nm, err := t.bytes(l)
			if err != nil {
				return
			}
			names[int(idx)] = string(nm)
		}
	}
}

// pkgOf is the package of a symbol of the name section, where the Go
// linker writes "/" as "_" ("github.com_a_b.(*T).M"): the longest package
// of -pkgs that prefixes it (followed by a dot), else the text before the
// first dot that follows the first "_" or the start.
func pkgOf(sym string, pkgs []string) string {
	sym = strings.TrimPrefix(sym, "type_.eq.")
	best := ""
	for _, p := range pkgs {
		m := strings.ReplaceAll(p, "/", "_")
		if len(m) > len(best) && strings.HasPrefix(sym, m+".") {
			best = m
		}
	}
	if best != "" {
		return best
	}
	if i := strings.Index(sym, "."); i > 0 {
		return sym[:i]
	}
	return sym
}
