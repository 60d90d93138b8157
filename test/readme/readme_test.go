package readme

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }

// TestCurlSectionRunsAsWritten: start the server as the README does (no settings), play the
// demo of "Try it", then run the curl section with bash, as written — only `go run
// ./cmd/orderalert` becomes the built binary and localhost:8080 the test's port. Each answer
// must have the code (and message) of the answer the README shows under its command, and the
// section must have paid and reminded a new order once.
func TestCurlSectionRunsAsWritten(t *testing.T) {
	t.Parallel()
	script := curlSection(t)
	srv := proc.NewServer(t, binary, t.TempDir())
	srv.Start()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	// "Try it": the demo orders, pays and reminds order 1. It waits its own cooldown setting
	// before the reminder, which a first reminder does not need; the server keeps the
	// README's default of a minute.
	demo := exec.CommandContext(ctx, binary, "demo")
	demo.Dir, demo.Env = srv.Dir, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + srv.Dir,
		"ORDERALERT_HTTP_ADDR=" + srv.Addr, "ORDERALERT_REMINDER_COOLDOWN=0s"}
	if out, err := demo.CombinedOutput(); err != nil || !strings.Contains(string(out), "reminded the shop") {
		t.Fatalf("demo = %v:\n%s", err, out)
	}
	before := alertCount(t, ctx, srv)

	steps := strings.Split(runBash(t, ctx, srv, script.bash), marker)
	if len(steps) != len(script.answers)+1 {
		t.Fatalf("the section printed %d answers, the README shows %d:\n%s", len(steps)-1, len(script.answers), strings.Join(steps, "\n---\n"))
	}
	for i, want := range script.answers {
		if got := strings.TrimSpace(steps[i]); envelopeOf(got) != envelopeOf(want) {
			t.Errorf("answer %d = %s\nthe README shows %s", i+1, got, want)
		}
	}
	if got := alertCount(t, ctx, srv) - before; got != 2 {
		t.Errorf("the section created %d alerts, want 2 (a new order, one reminder)", got)
	}
}

// marker separates the answers of the section's commands in the output.
const marker = "\n@@readme-answer@@\n"

// section is the curl section made runnable: bash prints marker after each command whose
// answer the README shows, and answers lists those answers in order.
type section struct {
	bash    string
	answers []string
}

var shBlock = regexp.MustCompile("(?s)## Try it with curl\n.*?```sh\n(.*?)```")

// curlSection reads the README's curl section. A line `# {…}` shows the answer of the command
// above it.
func curlSection(t *testing.T) section {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := shBlock.FindSubmatch(raw)
	if m == nil {
		t.Fatal(`the README has no sh block under "## Try it with curl"`)
	}
	var s section
	var b strings.Builder
	for _, line := range strings.Split(string(m[1]), "\n") {
		if answer, ok := strings.CutPrefix(line, "# {"); ok {
			s.answers = append(s.answers, "{"+answer)
			b.WriteString("printf '" + strings.ReplaceAll(marker, "\n", `\n`) + "'\n")
			continue
		}
		b.WriteString(line + "\n")
	}
	if len(s.answers) == 0 {
		t.Fatal("the curl section shows no answer to check")
	}
	s.bash = b.String()
	return s
}

// runBash runs the script in the server's folder as a newcomer's second terminal would (the
// README's commands, the test's binary and port), failing on any error of its commands.
func runBash(t *testing.T, ctx context.Context, srv *proc.Server, script string) string {
	t.Helper()
	script = strings.ReplaceAll(script, "go run ./cmd/orderalert", binary)
	script = strings.ReplaceAll(script, "localhost:8080", srv.Addr)
	cmd := exec.CommandContext(ctx, "/usr/bin/bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = srv.Dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + srv.Dir, "ORDERALERT_HTTP_ADDR=" + srv.Addr}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("the curl section = %v\nstderr:\n%s\nstdout:\n%s\nscript:\n%s", err, &stderr, &stdout, script)
	}
	return stdout.String()
}

var envelopeStart = regexp.MustCompile(`^\{"code":(\d),"msg":(null|"[^"]*")`)

// envelopeOf is an answer's code and message: what the README's examples promise exactly
// (ids, numbers and times differ from run to run).
func envelopeOf(answer string) string {
	if m := envelopeStart.FindStringSubmatch(answer); m != nil {
		return m[1] + " " + m[2]
	}
	return "not an envelope: " + answer
}

// alertCount is how many alerts the server lists, read as the shop's admin.
func alertCount(t *testing.T, ctx context.Context, srv *proc.Server) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.Base()+"/admin/alerts", nil)
	req.Header.Set("token", srv.Run(ctx, "token", "--admin", "1"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var alerts struct{ Data []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&alerts); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/alerts = %d, %v", resp.StatusCode, err)
	}
	return len(alerts.Data)
}
