package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
)

// tokenCommand mints a token with the service's own secrets, for scripts, curl and tests. It
// first checks that the server answering at --server serves the database it opened.
func tokenCommand() command {
	var user, admin int64
	var server string
	return command{
		name:    "token",
		summary: "print a token: --user ID (mini-program) or --admin ID (staff)",
		flags: func(fs *flag.FlagSet) func() error {
			fs.Int64Var(&user, "user", 0, "customer id: print a user token (authentication header)")
			fs.Int64Var(&admin, "admin", 0, "employee id: print an admin token (token header)")
			fs.StringVar(&server, "server", "", serverFlagHelp)
			return func() error {
				if (user > 0) == (admin > 0) {
					return errors.New("give exactly one of --user ID or --admin ID, a positive number")
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.ServerTools(cfg, log, func(tokens application.Tokens, adminToken application.IssueAdminToken, db bootstrap.Database) error {
				switch err := checkServer(context.Background(), serverURL(server, cfg), db); {
				case errors.Is(err, errOtherDatabase):
					return err
				case err != nil:
					// A script may mint before it starts the server: the token is still good
					// for any server of this database.
					log.Warn("the token could not be checked against the server; it is valid for servers of "+db.Where, "err", err)
				}
				var t application.Token
				var err error
				if admin > 0 {
					// Of the account's current token version, so that it ends like a login's.
					t, err = adminToken.Execute(context.Background(), admin)
				} else {
					t, err = tokens.Issue(application.RoleUser, application.Claims{Subject: user})
				}
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(stdout, t.Value)
				return err
			})
		},
	}
}

// serverFlagHelp describes --server, whose default comes from ORDERALERT_HTTP_ADDR.
const serverFlagHelp = "the running orderalert (default: where serve listens with these settings, http://localhost:8080 for ORDERALERT_HTTP_ADDR=:8080)"

// adminCreateCommand adds a staff account. The password comes from the first line of standard
// input — never from a flag, which other users could read in the process list — or is generated
// and printed when standard input is empty.
func adminCreateCommand() command {
	var username, name string
	var where application.Workplace
	return command{
		name:    "admin create",
		summary: "add an admin account: --username U [--name N] [--shop N | --platform]; password from stdin, or generated",
		flags: func(fs *flag.FlagSet) func() error {
			usernameGiven := requiredFlag(fs, &username, "username", "login name")
			fs.StringVar(&name, "name", "", "display name (default: the username)")
			fs.Int64Var(&where.ShopID, "shop", 0, "the shop the account works for; it sees only that shop's alerts and orders")
			fs.BoolVar(&where.Platform, "platform", false, "platform staff, who see every shop (the default while only one shop exists)")
			return func() error {
				if err := usernameGiven(); err != nil {
					return err
				}
				if where.ShopID < 0 || (where.ShopID > 0 && where.Platform) {
					return errors.New("give --shop N (a positive number) or --platform, not both")
				}
				if name == "" {
					name = username
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, stdin io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.CreateEmployee) error {
				password, generated, err := readPassword(stdin)
				if err != nil {
					return err
				}
				e, err := uc.Execute(context.Background(), name, username, password, where)
				if err != nil {
					return err
				}
				if generated {
					_, err = fmt.Fprintf(stdout, "created admin account %q (%s) with password: %s\n", e.Username, workplace(e.ShopID), password)
				} else {
					_, err = fmt.Fprintf(stdout, "created admin account %q (%s)\n", e.Username, workplace(e.ShopID))
				}
				if err != nil {
					return err
				}
				return printID(stdout, e.ID)
			})
		},
	}
}

func readPassword(stdin io.Reader) (password string, generated bool, err error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read the password from standard input: %w", err)
	}
	if password = strings.TrimRight(line, "\r\n"); password != "" {
		return password, false, nil
	}
	password, err = bootstrap.RandomPassword()
	return password, true, err
}
