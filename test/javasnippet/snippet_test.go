package javasnippet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"

	"github.com/orderalert/orderalert/test/proc"
)

var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }

const adminPassword = "java snippet test password"

// snippet is the Java block of the guide that starts with "// Snippet.java".
func snippet(t *testing.T) string {
	t.Helper()
	guide, err := os.ReadFile("../../docs/integrations/sky-take-out.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range strings.Split(string(guide), "```java\n")[1:] {
		code, _, _ := strings.Cut(block, "```")
		if strings.HasPrefix(code, "// Snippet.java") {
			return code
		}
	}
	t.Fatal("docs/integrations/sky-take-out.md has no java block starting with // Snippet.java")
	return ""
}

// TestTheGuidesJavaSnippetRingsTheShop: the guide's publisher, run by `java Snippet.java`, rings
// a dashboard of shop 1 once for a payment however often it is repeated, and once for a
// reminder.
func TestTheGuidesJavaSnippetRingsTheShop(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("java is not installed; .ci/run installs a JDK: the guide's snippet must run under CI")
		}
		t.Skip("java is not installed")
	}
	srv := proc.NewServer(t, binary, t.TempDir(), "ORDERALERT_ADMIN_INITIAL_PASSWORD="+adminPassword)
	srv.Start()
	out := srv.Run(t.Context(), "integration", "create", "--name", "sky-take-out", "--shop", "1")
	lines := strings.Split(out, "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "oa_live_") {
		t.Fatalf("integration create printed %q, want the key alone on the last line", out)
	}

	socket := dashboard(t, srv.Base())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Snippet.java"), []byte(snippet(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), java, "Snippet.java", srv.Base(), key, "4711", "20261203-0042")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	printed, err := cmd.Output()
	if err != nil {
		t.Fatalf("java Snippet.java: %v\n%s\n%s", err, printed, stderr.String())
	}
	answers := strings.Split(strings.TrimSpace(string(printed)), "\n")
	if len(answers) != 3 {
		t.Fatalf("the snippet printed %d answers, want 3:\n%s", len(answers), printed)
	}
	ids := make([]int64, 3)
	for i, a := range answers {
		var env struct {
			Code int
			Data struct{ ID int64 }
		}
		if err := json.Unmarshal([]byte(a), &env); err != nil || env.Code != 1 || env.Data.ID == 0 {
			t.Fatalf("answer %d = %s: want the envelope with an alert", i+1, a)
		}
		ids[i] = env.Data.ID
	}
	if ids[0] != ids[1] || ids[2] == ids[0] {
		t.Fatalf("alert ids of pay, repeated pay, reminder = %v: want the repeat to answer the same alert and the reminder a new one", ids)
	}

	want := []string{
		fmt.Sprintf("%d/1/1/4711/20261203-0042/订单号:20261203-0042/sky-take-out", ids[0]),
		fmt.Sprintf("%d/2/1/4711/20261203-0042/订单号:20261203-0042/sky-take-out", ids[2]),
	}
	for i, w := range want {
		if got := socket.next(t); got != w {
			t.Fatalf("frame %d = %s, want %s (id/type/shop/orderId/orderNumber/content/source)", i+1, got, w)
		}
	}
	socket.quiet(t)
}

type socket struct {
	frames chan string
}

// dashboard opens shop 1's dashboard socket as platform admin, with a header token as scripts do.
func dashboard(t *testing.T, base string) *socket {
	t.Helper()
	resp, err := http.Post(base+"/admin/employee/login", "application/json", strings.NewReader(`{"username":"admin","password":"`+adminPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	var login struct{ Data struct{ Token string } }
	if err := json.Unmarshal(raw, &login); err != nil || login.Data.Token == "" {
		t.Fatalf("login: %d %s", resp.StatusCode, raw)
	}
	conn, up, err := fws.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/java-test?shopId=1", http.Header{"Token": {login.Data.Token}})
	if up != nil {
		_ = up.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial the dashboard socket: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	s := &socket{frames: make(chan string, 16)}
	go func() {
		defer close(s.frames)
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var f struct {
				ID                           int64
				Type                         int
				ShopID                       int64
				OrderID                      int64
				OrderNumber, Content, Source string
			}
			if err := json.Unmarshal(msg, &f); err != nil {
				s.frames <- "not JSON: " + string(msg)
				continue
			}
			s.frames <- fmt.Sprintf("%d/%d/%d/%d/%s/%s/%s", f.ID, f.Type, f.ShopID, f.OrderID, f.OrderNumber, f.Content, f.Source)
		}
	}()
	return s
}

func (s *socket) next(t *testing.T) string {
	t.Helper()
	select {
	case f, ok := <-s.frames:
		if !ok {
			t.Fatal("the dashboard socket closed")
		}
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("no frame within 10 s")
	}
	return ""
}

// quiet fails if another frame comes within a second: a repeated payment must not ring twice.
func (s *socket) quiet(t *testing.T) {
	t.Helper()
	select {
	case f, ok := <-s.frames:
		if ok {
			t.Fatalf("an extra frame arrived: %s", f)
		}
	case <-time.After(time.Second):
	}
}
