// Command bench runs the standard load cases of DESIGN §11 against a freshly started orderalert
// (SQLite, and PostgreSQL when reachable) and the seed baseline, with the same load tool and
// flags, and prints one table (`make bench`).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

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
	if *postgres != "" && load.Reachable(*postgres) {
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
	addr, err := load.FreeAddr()
	check(err)
	binary, args := orderalert, []string{"serve"}
	admin, user := "seed", "seed"
	// The load tool opens every socket as admin 1, where a real shop has a few dashboards:
	// lift the per-admin and per-instance socket limits above the case's size.
	env := []string{"ORDERALERT_HTTP_ADDR=" + addr, "ORDERALERT_LOG_FORMAT=json",
		fmt.Sprintf("ORDERALERT_WS_MAX_PER_ADMIN=%d", c.sockets+100),
		fmt.Sprintf("ORDERALERT_WS_MAX_CONNECTIONS=%d", c.sockets+100)}
	switch target {
	case "seed baseline":
		binary, args = seed, []string{"-addr", addr}
	default:
		if strings.HasSuffix(target, "PostgreSQL") {
			url, drop, err := load.FreshDatabase(postgres)
			check(err)
			defer func() { check(drop()) }()
			env = append(env, "ORDERALERT_DATABASE_URL="+url)
		}
	}
	server, err := load.StartServer(binary, args, dir, addr, env)
	check(err)
	defer server.Stop()
	if target != "seed baseline" {
		admin, user = token(orderalert, dir, env, "--admin", "1"), token(orderalert, dir, env, "--user", "7")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := load.Run(ctx, load.Config{
		Server: server.Base, AdminToken: admin, UserToken: user, PID: server.PID,
		Sockets: c.sockets, Stalled: c.stalled, Alerts: c.alerts, Rate: c.rate, Drain: 5 * time.Second,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "case %s on %s: %v\n", c.name, target, err)
	}
	return res
}

func build(work, pkg string) string {
	out, err := load.Build(work, pkg)
	check(err)
	return out
}

func token(bin, dir string, env []string, args ...string) string {
	t, err := load.Token(bin, dir, env, args...)
	check(err)
	return t
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
