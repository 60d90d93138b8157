// Command orderalert runs the order-alert service and its tools:
//
//	orderalert serve                       run the service (migrates the database first)
//	orderalert migrate                     bring the database schema up to date and exit
//	orderalert token --user 7 | --admin 1  print a token, for scripts and curl
//	orderalert admin create --username U [--shop N | --platform]
//	                                       add an admin account; the password is read from stdin
//	orderalert admin lock|unlock|delete|passwd --username U
//	                                       end an account's sessions (passwd reads stdin)
//	orderalert shop create --name NAME     add a shop (prints its id); shop list
//	orderalert kind create --code 10 --name 客房服务 --speech "…"
//	                                       add a kind of alert; kind list
//	orderalert integration create --name N [--shop N]
//	                                       add a publisher of alerts (prints its key once);
//	                                       integration list, integration revoke --name N
//	orderalert channel add --shop N --kind webhook|wecom|dingtalk|feishu --url URL [--secret S]
//	                                       escalate a shop's unhandled alerts there (prints its
//	                                       id); channel list, channel remove ID
//	orderalert webhook listen --secret S   print the escalations a webhook channel receives
//	orderalert demo                        play a customer against a running server
//
// Every command reads the ORDERALERT_* variables; `orderalert serve --help` lists them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/bootstrap"
)

func main() { os.Exit(run(os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)) }

// command is one subcommand: its own flags, and the fx graph it runs given the configuration.
type command struct {
	name, summary string
	flags         func(*flag.FlagSet) func() error // registers flags; the result checks them
	graph         func(bootstrap.Config, *slog.Logger, io.Reader, io.Writer) fx.Option
	wait          bool // run until SIGINT or SIGTERM
	// positional names the flag that a first argument not starting with "-" sets, so that
	// `integration revoke sky` means `integration revoke --name sky`.
	positional string
}

var commands = []command{
	{name: "serve", summary: "run the service (migrates the database first)", graph: serveGraph, wait: true},
	{name: "migrate", summary: "bring the database schema up to date and exit", graph: migrateGraph},
	tokenCommand(),
	adminCreateCommand(),
	adminLockCommand(), adminUnlockCommand(), adminDeleteCommand(), adminPasswdCommand(),
	shopCreateCommand(), shopListCommand(),
	kindCreateCommand(), kindListCommand(),
	integrationCreateCommand(), integrationListCommand(), integrationRevokeCommand(),
	channelAddCommand(), channelListCommand(), channelRemoveCommand(), webhookListenCommand(),
	vapidCommand(),
	demoCommand(),
}

func serveGraph(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, _ io.Writer) fx.Option {
	return bootstrap.Serve(cfg, log)
}

func migrateGraph(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, _ io.Writer) fx.Option {
	return bootstrap.Migrate(cfg, log)
}

// requiredFlag registers a string flag the command cannot do without; the check it returns says
// which one is missing.
func requiredFlag(fs *flag.FlagSet, p *string, name, usage string) func() error {
	fs.StringVar(p, name, "", usage+" (required)")
	return func() error {
		if *p == "" {
			return fmt.Errorf("--%s is required", name)
		}
		return nil
	}
}

// run is main with its surroundings as arguments, for tests. Help is an answer (stdout, exit
// 0); a bad command line is one line of error and one of hint (stderr, exit 2).
func run(args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, rest, ok := find(args)
	switch {
	case ok:
	case len(args) == 0:
		usage(stderr)
		return 2
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "orderalert: unknown command %q\nRun `orderalert --help` for the commands.\n", args[0])
		return 2
	}
	if cmd.positional != "" && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		rest = append([]string{"--" + cmd.positional, rest[0]}, rest[1:]...)
	}
	var check func() error
	cfg, err := bootstrap.LoadConfig(cmd.name, rest, environ, stdout, func(fs *flag.FlagSet) {
		if cmd.flags != nil {
			check = cmd.flags(fs)
		}
	})
	if errors.Is(err, bootstrap.ErrHelp) {
		return 0
	}
	if err == nil && check != nil {
		err = check()
	}
	if err != nil {
		fmt.Fprintf(stderr, "orderalert %[1]s: %[2]v\nRun `orderalert %[1]s --help` for its flags and variables.\n", cmd.name, err)
		return 2
	}
	log := bootstrap.NewLogger(cfg, stderr)
	if err := bootstrap.Run(cmd.graph(cfg, log, stdin, stdout), log, cmd.wait); err != nil {
		log.Error("orderalert "+cmd.name+" failed", "err", noDatabaseHint(err))
		return 1
	}
	return 0
}

// find picks the command named by the first one or two arguments ("admin create").
func find(args []string) (command, []string, bool) {
	for _, c := range commands {
		switch {
		case len(args) >= 1 && c.name == args[0]:
			return c, args[1:], true
		case len(args) >= 2 && c.name == args[0]+" "+args[1]:
			return c, args[2:], true
		}
	}
	return command{}, nil, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: orderalert <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n`orderalert <command> --help` lists its flags and the ORDERALERT_* variables.")
}
