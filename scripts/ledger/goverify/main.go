// goverify checks a Deconflict ledger with Go's own transparency-log packages
// (golang.org/x/mod/sumdb/tlog and sumdb/note, from Debian's golang-golang-x-mod-dev):
// an implementation the project did not write. It reads the c2sp.org/tlog-tiles API at a
// URL prefix (or an exported directory), opens the checkpoint with the log's vkey, checks
// the tree hash through tlog.TileHashReader (every tile authenticated against the signed
// root), every entry of every bundle against its leaf hash, and each receipt's inclusion
// proof with tlog.CheckRecord. Build: GO111MODULE=off GOPATH=/usr/share/gocode go build.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type source struct {
	url, dir, token string
	reads          int
}

func (s *source) get(path string) ([]byte, error) {
	s.reads++
	if s.dir != "" {
		return os.ReadFile(filepath.Join(s.dir, path))
	}
	req, err := http.NewRequest("GET", strings.TrimSuffix(s.url, "/")+"/"+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return b, nil
}

// tlog-tiles has no tile-height element: Go's "tile/8/L/N[.p/W]" is served as "tile/L/N[.p/W]".
func tilePath(t tlog.Tile) string { return "tile/" + strings.TrimPrefix(t.Path(), "tile/8/") }

type tiles struct{ s *source }

func (r tiles) Height() int { return 8 }
func (r tiles) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, t := range ts {
		b, err := r.s.get(tilePath(t))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}
func (r tiles) SaveTiles([]tlog.Tile, [][]byte) {}

type receiptFile struct {
	Receipt    *receiptFile `json:"receipt"`
	Index      int64        `json:"index"`
	EntryB64   string       `json:"entry_b64"`
	Checkpoint string       `json:"checkpoint"`
	Proof      []string     `json:"proof"`
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func openCheckpoint(msg []byte, v note.Verifier) (checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return checkpoint{}, err
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return checkpoint{}, fmt.Errorf("checkpoint: want origin, size, root")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return checkpoint{}, err
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != 32 {
		return checkpoint{}, fmt.Errorf("checkpoint: bad root")
	}
	if lines[0] != v.Name() {
		return checkpoint{}, fmt.Errorf("checkpoint origin %q is not the key's name %q", lines[0], v.Name())
	}
	var h tlog.Hash
	copy(h[:], raw)
	return checkpoint{lines[0], size, h}, nil
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "goverify: FAILED: "+format+"\n", a...)
	os.Exit(1)
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	url := flag.String("url", "", "the log's URL prefix (…/v1/ledger)")
	dir := flag.String("dir", "", "an exported log directory")
	token := flag.String("token", os.Getenv("DECONFLICT_TOKEN"), "bearer token")
	vkey := flag.String("vkey", "", "the log's verifier key (name+id+key)")
	var receipts multi
	flag.Var(&receipts, "receipt", "a receipt JSON file (repeatable)")
	flag.Parse()
	v, err := note.NewVerifier(strings.TrimSpace(*vkey))
	if err != nil {
		fail("vkey: %v", err)
	}
	s := &source{url: *url, dir: *dir, token: *token}
	msg, err := s.get("checkpoint")
	if err != nil {
		fail("%v", err)
	}
	cp, err := openCheckpoint(msg, v)
	if err != nil {
		fail("checkpoint: %v", err)
	}
	tree := tlog.Tree{N: cp.size, Hash: cp.root}
	hr := tlog.TileHashReader(tree, tiles{s})
	if cp.size == 0 {
		// x/mod's TreeHash(0) is all zeros; RFC 6962's empty tree is SHA-256("").
		if cp.root != tlog.Hash(sha256.Sum256(nil)) {
			fail("empty tree with a root other than SHA-256(\"\")")
		}
	} else {
		th, err := tlog.TreeHash(cp.size, hr)
		if err != nil {
			fail("tree hash: %v", err)
		}
		if th != cp.root {
			fail("tree hash %x is not the checkpoint's root", th)
		}
	}
	// Every entry against the authenticated leaf hashes.
	for n := int64(0); n*256 < cp.size; n++ {
		w := cp.size - n*256
		if w > 256 {
			w = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: n, W: int(w)}
		p := "tile/entries/" + strings.TrimPrefix(t.Path(), "tile/8/data/")
		b, err := s.get(p)
		if err != nil {
			fail("%v", err)
		}
		idx := make([]int64, w)
		for i := range idx {
			idx[i] = tlog.StoredHashIndex(0, n*256+int64(i))
		}
		hashes, err := hr.ReadHashes(idx)
		if err != nil {
			fail("leaf hashes: %v", err)
		}
		for i := int64(0); i < w; i++ {
			if len(b) < 2 {
				fail("entry %d: bundle %s truncated", n*256+i, p)
			}
			l := int(b[0])<<8 | int(b[1])
			if len(b) < 2+l {
				fail("entry %d: bundle %s truncated", n*256+i, p)
			}
			if tlog.RecordHash(b[2:2+l]) != hashes[i] {
				fail("entry %d: its hash is not the tree's leaf", n*256+i)
			}
			b = b[2+l:]
		}
		if len(b) != 0 {
			fail("bundle %s: bytes after its entries", p)
		}
	}
	for _, f := range receipts {
		raw, err := os.ReadFile(f)
		if err != nil {
			fail("%v", err)
		}
		var r receiptFile
		if err := json.Unmarshal(raw, &r); err != nil {
			fail("%s: %v", f, err)
		}
		if r.Receipt != nil {
			r = *r.Receipt
		}
		entry, _ := base64.StdEncoding.DecodeString(r.EntryB64)
		rc, err := openCheckpoint([]byte(r.Checkpoint), v)
		if err != nil {
			fail("receipt %s: %v", f, err)
		}
		var proof tlog.RecordProof
		for _, p := range r.Proof {
			hb, _ := base64.StdEncoding.DecodeString(p)
			var h tlog.Hash
			copy(h[:], hb)
			proof = append(proof, h)
		}
		if err := tlog.CheckRecord(proof, rc.size, rc.root, r.Index, tlog.RecordHash(entry)); err != nil {
			fail("receipt %s (entry %d): %v", f, r.Index, err)
		}
		if rc.size > cp.size {
			fail("receipt %s: its checkpoint (%d) is ahead of the log (%d): rolled back", f, rc.size, cp.size)
		}
		if rc.size > 0 {
			old, err := tlog.TreeHash(rc.size, hr)
			if err != nil || old != rc.root {
				fail("receipt %s: the log is not consistent with its checkpoint of size %d", f, rc.size)
			}
		}
		leaf, err := hr.ReadHashes([]int64{tlog.StoredHashIndex(0, r.Index)})
		want := tlog.RecordHash(entry)
		if err != nil || !bytes.Equal(leaf[0][:], want[:]) {
			fail("receipt %s: entry %d differs in the log", f, r.Index)
		}
	}
	fmt.Printf("ok: %s size %d verified by golang.org/x/mod/sumdb (%d reads, %d receipts)\n", cp.origin, cp.size, s.reads, len(receipts))
}
