// Command bench runs the standard load cases of DESIGN §11 against a freshly started orderalert
// (SQLite, and PostgreSQL when reachable) and the seed baseline, with the same load tool and
// flags, and prints one table (`make bench`). Case (s) spreads its sockets and alerts over many
// shops; -compare runs every orderalert row again with another build, for a before and after in
// one table.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderalert/orderalert/test/load"
)

type loadCase struct {
	name                           string
	sockets, stalled, alerts, rate int
	// shops > 0 spreads the sockets and the alerts over that many shops, each socket a shop
	// employee's (load.Config.Shops). The seed baseline knows no shops and is not run.
	shops int
}

// The standard cases of DESIGN §11, and two of many shops (issue 12): (s) 1,000 shops × 10
// sockets, alerts spread over the shops at (b)'s rate, one per shop; (t) its control, the same
// alerts to the 10 sockets of one shop with nobody else connected. (s) against (t) is what the
// 9,990 sockets of other shops cost; (s) against (b) is the target of issue 12.
var cases = []loadCase{
	{"a", 1000, 0, 200, 50, 0},
	{"b", 5000, 0, 200, 20, 0},
	{"c", 1000, 10, 200, 50, 0},
	{"d", 10000, 0, 100, 10, 0},
	{"s", 10000, 0, 1000, 20, 1000},
	{"t", 10, 0, 1000, 20, 0},
}

// target is what a row runs against: an orderalert binary on SQLite or PostgreSQL, or the seed.
type target struct {
	name     string
	binary   string
	postgres bool
	seed     bool
}

func main() {
	only := flag.String("cases", "abcdst", "which cases to run")
	postgres := flag.String("postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for the PostgreSQL runs (empty: none)")
	compare := flag.String("compare", "", "NAME=BINARY: run every orderalert row again with this orderalert binary (another commit's build), its rows named NAME/…")
	flag.Parse()
	work, err := os.MkdirTemp("", "orderalert-bench")
	check(err)
	defer func() { _ = os.RemoveAll(work) }()
	builds := [][2]string{{"orderalert", build(work, "./cmd/orderalert")}}
	if *compare != "" {
		name, binary, ok := strings.Cut(*compare, "=")
		if !ok || name == "" || binary == "" {
			check(fmt.Errorf("-compare %q: want NAME=BINARY", *compare))
		}
		builds = append(builds, [2]string{name, binary})
	}
	withPostgres := *postgres != "" && load.Reachable(*postgres)
	var targets []target
	for _, b := range builds {
		targets = append(targets, target{name: b[0] + "/SQLite", binary: b[1]})
		if withPostgres {
			targets = append(targets, target{name: b[0] + "/PostgreSQL", binary: b[1], postgres: true})
		}
	}
	targets = append(targets, target{name: "seed baseline", binary: build(work, "./test/load/seed"), seed: true})
	var rows []load.Row
	for _, c := range cases {
		if !strings.Contains(*only, c.name) {
			continue
		}
		for _, t := range targets {
			if t.seed && c.shops > 0 {
				continue
			}
			res := runCase(work, t, *postgres, c)
			rows = append(rows, load.Row{Name: fmt.Sprintf("(%s) %s", c.name, t.name), Result: res})
			line, _ := json.Marshal(struct {
				Case, Target string
				load.Result
			}{c.name, t.name, res})
			fmt.Fprintln(os.Stderr, string(line))
			if res.Foreign > 0 {
				fmt.Fprintf(os.Stderr, "case %s on %s: %d frames of another shop's alert\n", c.name, t.name, res.Foreign)
			}
		}
	}
	fmt.Printf("machine: %d cores, %s, %s\n\n%s", numCPU(), goVersion(), time.Now().UTC().Format("2006-01-02"), load.Table(rows))
}

// runCase starts a fresh server for one case, loads it and stops it.
func runCase(work string, t target, postgres string, c loadCase) load.Result {
	dir, err := os.MkdirTemp(work, "run")
	check(err)
	addr, err := load.FreeAddr()
	check(err)
	binary, args := t.binary, []string{"serve"}
	admin, user := "seed", "seed"
	// The load tool opens every socket as admin 1, where a real shop has a few dashboards:
	// lift the per-admin and per-instance socket limits above the case's size.
	env := []string{"ORDERALERT_HTTP_ADDR=" + addr, "ORDERALERT_LOG_FORMAT=json",
		fmt.Sprintf("ORDERALERT_WS_MAX_PER_ADMIN=%d", c.sockets+100),
		fmt.Sprintf("ORDERALERT_WS_MAX_CONNECTIONS=%d", c.sockets+100)}
	// Where `serve` keeps its SQLite file by default, run in dir.
	dataDir := filepath.Join(dir, "data")
	database := filepath.Join(dataDir, "orderalert.db")
	switch {
	case t.seed:
		args = []string{"-addr", addr}
	case t.postgres:
		url, drop, err := load.FreshDatabase(postgres)
		check(err)
		defer func() { check(drop()) }()
		env = append(env, "ORDERALERT_DATABASE_URL="+url)
		database = url
	}
	server, err := load.StartServer(binary, args, dir, addr, env)
	check(err)
	defer server.Stop()
	var shops []load.Shop
	if !t.seed {
		admin, user = token(binary, dir, env, "--admin", "1"), token(binary, dir, env, "--user", "7")
		if c.shops > 0 {
			shops, err = seedShops(database, dataDir, c.shops)
			check(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := load.Run(ctx, load.Config{
		Server: server.Base, AdminToken: admin, UserToken: user, PID: server.PID,
		Sockets: c.sockets, Stalled: c.stalled, Alerts: c.alerts, Rate: c.rate, Drain: 5 * time.Second,
		Shops: shops,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "case %s on %s: %v\n", c.name, t.name, err)
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
