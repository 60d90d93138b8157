package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/channel"
)

// The commands of escalation channels (DESIGN §14): where a shop's alerts go when nobody at
// its screens handles them. URLs and secrets are credentials: list shows neither.

func channelAddCommand() command {
	var (
		shopID               int64
		kind, target, secret string
	)
	return command{
		name:    "channel add",
		summary: "escalate a shop's unhandled alerts to a channel: --shop N --kind webhook|wecom|dingtalk|feishu --url URL [--secret S]; prints its id",
		flags: func(fs *flag.FlagSet) func() error {
			fs.Int64Var(&shopID, "shop", 0, "the shop whose alerts go there (required)")
			kindGiven := requiredFlag(fs, &kind, "kind", "webhook (ours, HMAC-signed), wecom, dingtalk or feishu (their group bots)")
			urlGiven := requiredFlag(fs, &target, "url", "the webhook's or the bot's URL, its key or token included")
			fs.StringVar(&secret, "secret", "", "the webhook's HMAC secret, DingTalk's SEC… or Feishu's signing secret (WeCom has none)")
			return func() error {
				if shopID <= 0 {
					return errors.New("--shop is required and must be a positive number")
				}
				return errors.Join(kindGiven(), urlGiven())
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.AddChannel) error {
				k, err := channel.ParseKind(kind)
				if err != nil {
					return err
				}
				c, err := uc.Execute(context.Background(), channel.Channel{ShopID: shopID, Kind: k, URL: target, Secret: secret})
				if err != nil {
					return err
				}
				if _, err := fmt.Fprintf(stdout, "shop %d's unhandled alerts now also go to %s channel %s\n", c.ShopID, c.Kind, c.Shown()); err != nil {
					return err
				}
				return printID(stdout, c.ID)
			})
		},
	}
}

func channelListCommand() command {
	return tableCommand("channel list", "list the escalation channels: id, shop, kind, host (never their keys or secrets)", "ID\tSHOP\tKIND\tURL\tSECRET\tCREATED",
		application.ListChannels.Execute,
		func(c channel.Channel) string {
			secret := "-"
			if c.Secret != "" {
				secret = "set"
			}
			return fmt.Sprintf("%d\t%d\t%s\t%s\t%s\t%s", c.ID, c.ShopID, c.Kind, c.Shown(), secret, cliTime(c.CreatedAt))
		})
}

func channelRemoveCommand() command {
	var id string
	return command{
		name:       "channel remove",
		summary:    "stop escalating to a channel: ID (or --id ID); its waiting messages are not sent",
		positional: "id",
		flags: func(fs *flag.FlagSet) func() error {
			given := requiredFlag(fs, &id, "id", "the channel's id, from channel list")
			return func() error {
				if err := given(); err != nil {
					return err
				}
				if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
					return errors.New("the channel id must be a positive number")
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Tools(cfg, log, func(uc application.RemoveChannel) error {
				n, _ := strconv.ParseInt(id, 10, 64)
				c, err := uc.Execute(context.Background(), n)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(stdout, "removed %s channel %d of shop %d (%s)\n", c.Kind, c.ID, c.ShopID, c.Shown())
				return err
			})
		},
	}
}
