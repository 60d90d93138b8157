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
	"github.com/orderalert/orderalert/domain/integration"
)

// The commands of backends that publish alerts (POST /api/alerts). A key is printed once, by
// create, alone on the last line; only its hash is stored.

func integrationCreateCommand() command {
	var name string
	var shopID int64
	return command{
		name:    "integration create",
		summary: "add a publisher: --name NAME [--shop N]; prints its key once",
		flags: func(fs *flag.FlagSet) func() error {
			nameGiven := requiredFlag(fs, &name, "name", "the publisher's name, e.g. sky-take-out: its alerts' source")
			fs.Int64Var(&shopID, "shop", 0, "the only shop the key may publish to (default: any shop, named in each call)")
			return func() error {
				if err := nameGiven(); err != nil {
					return err
				}
				if shopID < 0 {
					return errors.New("--shop must be a positive number")
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.CreateIntegration) error {
				i, key, err := uc.Execute(context.Background(), name, shopID)
				if err != nil {
					return err
				}
				where := "any shop (name it with shopId in each call)"
				if i.ShopID != 0 {
					where = fmt.Sprintf("shop %d only", i.ShopID)
				}
				_, err = fmt.Fprintf(stdout, "created integration %q for %s; its key, shown only now (send it as Authorization: Bearer …):\n%s\n", i.Name, where, key)
				return err
			})
		},
	}
}

func integrationListCommand() command {
	return tableCommand("integration list", "list the publishers: name, shop, created, revoked (never their keys)", "NAME\tSHOP\tCREATED\tREVOKED",
		application.ListIntegrations.Execute,
		func(i integration.Integration) string {
			shopText, revoked := "any", "-"
			if i.ShopID != 0 {
				shopText = fmt.Sprint(i.ShopID)
			}
			if !i.Live() {
				revoked = cliTime(i.RevokedAt)
			}
			return fmt.Sprintf("%s\t%s\t%s\t%s", i.Name, shopText, cliTime(i.CreatedAt), revoked)
		})
}

func integrationRevokeCommand() command {
	var name string
	return command{
		name:       "integration revoke",
		summary:    "end a publisher's key: NAME (or --name NAME); its next call is 401",
		positional: "name",
		flags: func(fs *flag.FlagSet) func() error {
			return requiredFlag(fs, &name, "name", "the publisher's name")
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.RevokeIntegration) error {
				i, err := uc.Execute(context.Background(), name)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(stdout, "revoked integration %q: its key is refused from now on, on every instance; `integration create --name %s` gives a new one\n", i.Name, i.Name)
				return err
			})
		},
	}
}
