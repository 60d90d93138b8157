package component_test

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/orderalert/orderalert/web"
)

// TestTheClientLibraryIsServedForAnyFrontEnd: /sdk/orderalert.js is the embedded library, as
// JavaScript (a module script is refused under nosniff otherwise), importable from another
// origin (module scripts are fetched with CORS), and revalidated rather than stored: an
// unchanged file answers 304 to its ETag.
func TestTheClientLibraryIsServedForAnyFrontEnd(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	type answer struct {
		StatusCode int
		Header     http.Header
	}
	fetch := func(header http.Header) (answer, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.base+"/sdk/orderalert.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return answer{resp.StatusCode, resp.Header}, body
	}

	resp, body := fetch(http.Header{"Origin": {"https://admin.example"}})
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, web.SDK()) || !bytes.Contains(body, []byte("export function connect(")) {
		t.Fatalf("GET /sdk/orderalert.js = %d, %d bytes; want 200 and the embedded library (%d bytes)", resp.StatusCode, len(body), len(web.SDK()))
	}
	for name, want := range map[string]string{
		"Content-Type":                "text/javascript; charset=utf-8",
		"X-Content-Type-Options":      "nosniff",
		"Access-Control-Allow-Origin": "*",
		"Cache-Control":               "no-cache",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	etag := resp.Header.Get("ETag")
	if len(etag) < 10 || etag[0] != '"' {
		t.Fatalf("ETag %q, want a strong validator", etag)
	}

	again, body := fetch(http.Header{"If-None-Match": {etag}})
	if again.StatusCode != http.StatusNotModified || len(body) != 0 || again.Header.Get("ETag") != etag {
		t.Fatalf("revalidation = %d with %d bytes and ETag %q, want 304, nothing, %q", again.StatusCode, len(body), again.Header.Get("ETag"), etag)
	}
	if stale, _ := fetch(http.Header{"If-None-Match": {`"another release"`}}); stale.StatusCode != http.StatusOK {
		t.Fatalf("another release's ETag = %d, want 200 and the file", stale.StatusCode)
	}
}
