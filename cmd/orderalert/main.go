// Command orderalert runs the order-alert service and its tools:
//
//	orderalert serve     run the service (migrates the database first)
//	orderalert migrate   bring the database schema up to date and exit
//
// Every command reads the ORDERALERT_* variables; `orderalert serve --help` lists them.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/bootstrap"
)

func main() { os.Exit(run(os.Args[1:], os.Environ(), os.Stderr)) }

type command struct {
	summary string
	options func(bootstrap.Config, *slog.Logger) fx.Option
	wait    bool
}

var commands = map[string]command{
	"serve":   {"run the service (migrates the database first)", bootstrap.Serve, true},
	"migrate": {"bring the database schema up to date and exit", bootstrap.Migrate, false},
}

func run(args, environ []string, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "orderalert: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	cfg, err := bootstrap.LoadConfig(args[0], args[1:], environ, stderr)
	if errors.Is(err, bootstrap.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "orderalert %s: %v\n", args[0], err)
		return 2
	}
	log := bootstrap.NewLogger(cfg, stderr)
	if err := bootstrap.Run(cmd.options(cfg, log), log, cmd.wait); err != nil {
		log.Error("orderalert "+args[0]+" failed", "err", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: orderalert <command> [flags]\n\nCommands:")
	for _, name := range []string{"serve", "migrate"} {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\n`orderalert <command> --help` lists the flags and ORDERALERT_* variables.")
}
