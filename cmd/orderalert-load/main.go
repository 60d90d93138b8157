// Command orderalert-load loads a running orderalert (or the seed baseline) with dashboard
// sockets and payments, and prints what it measured: a table for people, a JSON line for
// scripts. Tokens come from `orderalert token --admin 1` and `orderalert token --user 7`.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/orderalert/orderalert/test/load"
)

func main() {
	var cfg load.Config
	flag.StringVar(&cfg.Server, "server", "http://127.0.0.1:8080", "the server")
	flag.StringVar(&cfg.AdminToken, "admin-token", "", "admin token (orderalert token --admin 1)")
	flag.StringVar(&cfg.UserToken, "user-token", "", "user token (orderalert token --user 7)")
	flag.IntVar(&cfg.PID, "pid", 0, "the server's process id, for its memory and CPU (0: skip)")
	flag.IntVar(&cfg.Sockets, "sockets", 1000, "dashboard sockets (N)")
	flag.IntVar(&cfg.Stalled, "stalled", 0, "of which never read")
	flag.IntVar(&cfg.Alerts, "alerts", 200, "alerts to create (M)")
	flag.IntVar(&cfg.Rate, "rate", 50, "alerts per second (R); 0: as fast as --payers concurrent callers go")
	flag.IntVar(&cfg.Payers, "payers", 8, "concurrent payment callers when --rate is 0")
	flag.DurationVar(&cfg.Drain, "drain", 5*time.Second, "how long to wait for missing frames")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	res, err := load.Run(ctx, cfg)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "orderalert-load:", err)
		os.Exit(1)
	}
	fmt.Println(load.Table([]load.Row{{Name: cfg.Server, Result: res}}))
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
}
