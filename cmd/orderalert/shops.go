package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/shop"
)

// The commands of a deployment with many shops and kinds of alert of its own. Running instances
// read shops and kinds from the database, so what these create works at once, without a
// restart; each prints the new id alone on its last line, for scripts.

// platformAccess is the CLI's standing: whoever runs it holds the database, so it acts as platform
// staff.
var platformAccess = employee.Access{}

func shopCreateCommand() command {
	var name string
	return command{
		name:    "shop create",
		summary: "add a shop: --name NAME; prints its id",
		flags: func(fs *flag.FlagSet) func() error {
			return requiredFlag(fs, &name, "name", "the shop's name, as staff see it")
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.CreateShop) error {
				s, err := uc.Execute(context.Background(), platformAccess, name)
				if err != nil {
					return err
				}
				if _, err = fmt.Fprintf(stdout, "created shop %q\n", s.Name); err != nil {
					return err
				}
				return printID(stdout, s.ID)
			})
		},
	}
}

func shopListCommand() command {
	return tableCommand("shop list", "list the shops: id and name", "ID\tNAME\tCREATED",
		func(uc application.ListShops, ctx context.Context) ([]shop.Shop, error) {
			return uc.Execute(ctx, platformAccess)
		},
		func(s shop.Shop) string { return fmt.Sprintf("%d\t%s\t%s", s.ID, s.Name, cliTime(s.CreatedAt)) })
}

func kindCreateCommand() command {
	var code int
	var name, content, speech string
	return command{
		name:    "kind create",
		summary: "add a kind of alert: --code 3..99 --name NAME --speech TEMPLATE [--content TEMPLATE]",
		flags: func(fs *flag.FlagSet) func() error {
			fs.IntVar(&code, "code", 0, "the alert type publishers send, 3 to 99 (required)")
			fs.StringVar(&name, "name", "", "what the dashboard calls it, e.g. 客房服务 (required)")
			fs.StringVar(&speech, "speech", "", "the sentence the dashboard speaks; {orderNumber} and {content} are filled in (required)")
			fs.StringVar(&content, "content", "", "the content written when a publisher sends none (default 订单号:{orderNumber})")
			return func() error {
				if code == 0 || name == "" || speech == "" {
					return errors.New("--code, --name and --speech are required")
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.CreateAlertKind) error {
				k, err := uc.Execute(context.Background(), alert.Type(code), name, content, speech)
				if err != nil {
					return err
				}
				if _, err = fmt.Fprintf(stdout, "created alert kind %q: dashboards show and speak it on their next load\n", k.Name); err != nil {
					return err
				}
				return printID(stdout, int64(k.Code))
			})
		},
	}
}

func kindListCommand() command {
	return tableCommand("kind list", "list the kinds of alert: code, name and templates", "CODE\tNAME\tCONTENT\tSPEECH",
		application.ListAlertKinds.Execute,
		func(k alert.Kind) string {
			return fmt.Sprintf("%d\t%s\t%s\t%s", k.Code, k.Name, k.ContentTemplate, k.SpeechTemplate)
		})
}

// tableCommand is a command that prints what a listing use case returns, one row a line under
// a header, in columns.
func tableCommand[UseCase, Row any](name, summary, header string, list func(UseCase, context.Context) ([]Row, error), row func(Row) string) command {
	return command{
		name: name, summary: summary,
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc UseCase) error {
				rows, err := list(uc, context.Background())
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, header)
				for _, r := range rows {
					fmt.Fprintln(w, row(r))
				}
				return w.Flush()
			})
		},
	}
}

// cliTime is how the commands print an instant.
func cliTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// printID ends a creating command's output with the id alone on its line.
func printID(stdout io.Writer, id int64) error {
	_, err := fmt.Fprintln(stdout, id)
	return err
}

// workplace says where an account works, for the CLI's messages.
func workplace(shopID int64) string {
	if shopID == 0 {
		return "platform staff: every shop"
	}
	return fmt.Sprintf("shop %d", shopID)
}
