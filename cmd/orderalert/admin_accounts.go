package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/employee"
)

// The commands that end sessions. Each changes the account in the database; the running
// instances see the change counter move within a second, refuse the account's earlier tokens and
// close its dashboards (4401), without a restart.
func adminLockCommand() command {
	return accountCommand("admin lock", "lock an account: --username U; its logins are refused and its sessions end",
		func(username string, _ io.Reader, stdout io.Writer) any {
			return func(uc application.LockEmployee) error {
				e, err := uc.Execute(context.Background(), username)
				return report(stdout, e, err, username, "locked admin account %q (id %d): its logins are refused, and its tokens and open dashboards end within seconds\n")
			}
		})
}

func adminUnlockCommand() command {
	return accountCommand("admin unlock", "unlock an account: --username U; it logs in anew (old tokens stay dead)",
		func(username string, _ io.Reader, stdout io.Writer) any {
			return func(uc application.UnlockEmployee) error {
				e, err := uc.Execute(context.Background(), username)
				return report(stdout, e, err, username, "unlocked admin account %q (id %d): it may log in again; tokens from before the lock stay dead\n")
			}
		})
}

func adminDeleteCommand() command {
	return accountCommand("admin delete", "delete an account: --username U; its sessions end",
		func(username string, _ io.Reader, stdout io.Writer) any {
			return func(uc application.DeleteEmployee) error {
				e, err := uc.Execute(context.Background(), username)
				return report(stdout, e, err, username, "deleted admin account %q (id %d): its tokens and open dashboards end within seconds\n")
			}
		})
}

// adminPasswdCommand reads the new password as admin create does: the first line of standard
// input, never a flag; generated and printed when standard input is empty.
func adminPasswdCommand() command {
	return accountCommand("admin passwd", "set an account's password: --username U; from stdin, or generated; its sessions end",
		func(username string, stdin io.Reader, stdout io.Writer) any {
			return func(uc application.ChangePassword) error {
				password, generated, err := readPassword(stdin)
				if err != nil {
					return err
				}
				e, err := uc.Execute(context.Background(), username, password)
				if err = report(stdout, e, err, username, "changed the password of admin account %q (id %d): its earlier tokens and open dashboards end within seconds\n"); err != nil || !generated {
					return err
				}
				_, err = fmt.Fprintf(stdout, "new password: %s\n", password)
				return err
			}
		})
}

// accountCommand is a command that acts on the account named by --username; invoke returns the
// function the Tools graph runs.
func accountCommand(name, summary string, invoke func(username string, stdin io.Reader, stdout io.Writer) any) command {
	var username string
	return command{
		name: name, summary: summary,
		flags: func(fs *flag.FlagSet) func() error {
			return requiredFlag(fs, &username, "username", "login name of the account")
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, stdin io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.ServerTools(cfg, log, invoke(username, stdin, stdout))
		},
	}
}

// report prints what was done to e, or says plainly that there is no such account.
func report(stdout io.Writer, e employee.Employee, err error, username, format string) error {
	if errors.Is(err, employee.ErrNotFound) {
		return fmt.Errorf("no admin account is called %q", username)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, format, e.Username, e.ID)
	return err
}
