// Command bench runs the standard load cases of DESIGN §11 against a freshly started orderalert
// (SQLite, and PostgreSQL when reachable) and the seed baseline, with the same load tool and
// flags, and prints one table (`make bench`).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/test/load"
)

type loadCase struct {
	name                           string
	sockets, stalled, alerts, rate int
}

// The standard cases of DESIGN §11.
var cases = []loadCase{
	{"a", 1000, 0, 200, 50},
	{"b", 5000, 0, 200, 20},
	{"c", 1000, 10, 200, 50},
	{"d", 10000, 0, 100, 10},
}

func main() {
	only := flag.String("cases", "abcd", "which cases to run")
	postgres := flag.String("postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for the PostgreSQL runs (empty: none)")
	flag.Parse()
	work, err := os.MkdirTemp("", "orderalert-bench")
	check(err)
	defer func() { _ = os.RemoveAll(work) }()
	orderalert, seed := build(work, "./cmd/orderalert"), build(work, "./test/load/seed")

	targets := []string{"orderalert/SQLite"}
	if *postgres != "" && reachable(*postgres) {
		targets = append(targets, "orderalert/PostgreSQL")
	}
	targets = append(targets, "seed baseline")
	var rows []load.Row
	for _, c := range cases {
		if !strings.Contains(*only, c.name) {
			continue
		}
		for _, target := range targets {
			res := runCase(work, target, orderalert, seed, *postgres, c)
			rows = append(rows, load.Row{Name: fmt.Sprintf("(%s) %s", c.name, target), Result: res})
			line, _ := json.Marshal(struct {
				Case, Target string
				load.Result
			}{c.name, target, res})
			fmt.Fprintln(os.Stderr, string(line))
		}
	}
	fmt.Printf("machine: %d cores, %s, %s\n\n%s", numCPU(), goVersion(), time.Now().UTC().Format("2006-01-02"), load.Table(rows))
}

// runCase starts a fresh server for one case, loads it and stops it.
func runCase(work, target, orderalert, seed, postgres string, c loadCase) load.Result {
	dir, err := os.MkdirTemp(work, "run")
	check(err)
	addr := freeAddr()
	var cmd *exec.Cmd
	admin, user := "seed", "seed"
	env := append(os.Environ(), "ORDERALERT_HTTP_ADDR="+addr, "ORDERALERT_LOG_FORMAT=json")
	switch target {
	case "seed baseline":
		cmd = exec.Command(seed, "-addr", addr)
	default:
		if strings.HasSuffix(target, "PostgreSQL") {
			url, drop := freshDatabase(postgres)
			defer drop()
			env = append(env, "ORDERALERT_DATABASE_URL="+url)
		}
		cmd = exec.Command(orderalert, "serve")
	}
	cmd.Dir, cmd.Env = dir, env
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	check(err)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	check(cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	waitHealthy("http://" + addr)
	if target != "seed baseline" {
		admin, user = token(orderalert, dir, env, "--admin", "1"), token(orderalert, dir, env, "--user", "7")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := load.Run(ctx, load.Config{
		Server: "http://" + addr, AdminToken: admin, UserToken: user, PID: cmd.Process.Pid,
		Sockets: c.sockets, Stalled: c.stalled, Alerts: c.alerts, Rate: c.rate, Drain: 5 * time.Second,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "case %s on %s: %v\n", c.name, target, err)
	}
	return res
}

func build(work, pkg string) string {
	out := filepath.Join(work, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	check(cmd.Run())
	return out
}

func token(bin, dir string, env []string, args ...string) string {
	cmd := exec.Command(bin, append([]string{"token"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	check(err)
	return strings.TrimSpace(string(out))
}

func reachable(url string) bool {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url)))
	defer func() { _ = db.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx) == nil
}

// freshDatabase creates an empty database for one run and returns its URL and its removal.
func freshDatabase(server string) (string, func()) {
	name := fmt.Sprintf("orderalert_bench_%d", time.Now().UnixNano())
	admin := func(statement string) {
		db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(server)))
		defer func() { _ = db.Close() }()
		_, err := db.Exec(statement)
		check(err)
	}
	admin("CREATE DATABASE " + name)
	return strings.Replace(server, "/postgres?", "/"+name+"?", 1), func() { admin("DROP DATABASE " + name + " WITH (FORCE)") }
}

func waitHealthy(base string) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	check(fmt.Errorf("%s never became healthy", base))
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
