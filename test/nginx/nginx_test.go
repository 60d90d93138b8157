package nginx_test

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/proc"
)

// nginxBinary is where Debian's nginx packages install it.
const nginxBinary = "/usr/sbin/nginx"

// shippedConf is the file under test.
const shippedConf = "../../deploy/nginx.conf"

// proxy is a running nginx: its address, its access log and what it printed.
type proxy struct {
	addr      string
	scheme    string      // http, or https when it terminates TLS
	clientTLS *tls.Config // what a client that trusts its certificate uses
	accessLog string
	errorLog  string
}

func (p *proxy) base() string { return p.scheme + "://" + p.addr }

// api is a client of the API through the proxy.
func (p *proxy) api() api {
	client := http.DefaultClient
	if p.clientTLS != nil {
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: p.clientTLS}}
	}
	return api{base: p.base(), client: client}
}

// options change the shipped file beyond its EDIT lines, for a test that needs more.
type options struct {
	tls   *testCert   // terminate TLS with this certificate, as a production site does
	edits [][2]string // further replacements, each of text found once
}

// requireNginx skips the test without nginx on a developer's machine, and fails it under CI,
// where a silently skipped proxy test would prove nothing.
func requireNginx(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(nginxBinary); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing and CI is set (.ci/run installs nginx-light): %v", nginxBinary, err)
		}
		t.Skipf("%s is missing (apt-get install nginx-light): %v", nginxBinary, err)
	}
}

// render turns the shipped configuration into the test's, replacing exactly the lines the file
// marks EDIT: each must occur once, so an edit of the file that the test would silently stop
// matching fails here instead. edits are extra replacements for a test that changes more.
func render(t *testing.T, conf string, upstreams [2]string, listen, accessLog string, edits [][2]string) string {
	t.Helper()
	replacements := append([][2]string{
		{"listen 80;", "listen " + listen + ";"},
		{"server 127.0.0.1:8081 ", "server " + upstreams[0] + " "},
		{"server 127.0.0.1:8082 ", "server " + upstreams[1] + " "},
		{"/var/log/nginx/orderalert.access.log", accessLog},
	}, edits...)
	for _, r := range replacements {
		if n := strings.Count(conf, r[0]); n != 1 {
			t.Fatalf("deploy/nginx.conf has %q %d times, want once", r[0], n)
		}
		conf = strings.Replace(conf, r[0], r[1], 1)
	}
	return conf
}

// mainConf is the main context Debian's /etc/nginx/nginx.conf would provide around the site:
// temporary files in the test's folder, so that nginx needs nothing of the machine's.
func mainConf(dir, site string) string {
	user := ""
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody, who cannot enter the test's private folder.
		user = "user root root;\n"
	}
	temp := ""
	for _, kind := range []string{"client_body", "proxy", "fastcgi"} {
		temp += fmt.Sprintf("    %s_temp_path %s;\n", kind, filepath.Join(dir, kind))
	}
	return user + "worker_processes 1;\nevents { worker_connections 1024; }\nhttp {\n" + temp +
		"    include " + site + ";\n}\n"
}

// startNginx runs nginx on the shipped configuration in front of upstreams and stops it, and
// every worker, when the test ends.
func startNginx(t *testing.T, upstreams [2]string, opts options) *proxy {
	t.Helper()
	requireNginx(t)
	raw, err := os.ReadFile(shippedConf)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := &proxy{addr: freeAddr(t), scheme: "http", accessLog: filepath.Join(dir, "access.log"), errorLog: filepath.Join(dir, "error.log")}
	listen := p.addr
	if opts.tls != nil {
		p.scheme, p.clientTLS = "https", opts.tls.clientTLS
		listen += " ssl; ssl_certificate " + opts.tls.certFile + "; ssl_certificate_key " + opts.tls.keyFile
	}
	site := filepath.Join(dir, "orderalert.conf")
	main := filepath.Join(dir, "nginx.conf")
	writeFile(t, site, render(t, string(raw), upstreams, listen, p.accessLog, opts.edits))
	writeFile(t, main, mainConf(dir, site))

	out := &proc.Output{}
	cmd := exec.Command(nginxBinary, "-p", dir, "-e", p.errorLog, "-c", main,
		"-g", "daemon off; pid "+filepath.Join(dir, "nginx.pid")+"; error_log "+p.errorLog+" info;")
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group: if the master dies hard, its workers are still found and ended.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopNginx(t, cmd, exited, p.addr) })
	for deadline := time.Now().Add(10 * time.Second); !listening(p.addr); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("nginx exited: %v\n%s\n%s", err, out, readFile(p.errorLog))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx never listened on %s:\n%s\n%s", p.addr, out, readFile(p.errorLog))
		}
	}
	return p
}

// stopNginx asks the master for a fast shutdown (it ends its workers), kills the group if
// that takes too long, and checks that nothing listens on the proxy's port any more.
func stopNginx(t *testing.T, cmd *exec.Cmd, exited chan error, addr string) {
	pgid := cmd.Process.Pid
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		t.Logf("nginx stopped: %v", err)
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		t.Logf("nginx killed after ignoring SIGTERM: %v", <-exited)
	}
	// A worker that outlived its master would still hold the socket.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	for deadline := time.Now().Add(5 * time.Second); listening(addr); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("something still listens on %s after nginx stopped", addr)
			return
		}
	}
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(path string) string {
	raw, _ := os.ReadFile(path)
	return string(raw)
}
