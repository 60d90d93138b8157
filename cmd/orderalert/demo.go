package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/bootstrap"
)

// demoCommand plays a customer against a running server, so that a newcomer watching the
// dashboard sees and hears both alerts: it logs in as the mini-program does (POST
// /user/user/login, with a test code the server's dev login accepts), places an order, pays it,
// waits out the reminder cooldown and reminds the shop.
func demoCommand() command {
	var server string
	var user int64
	return command{
		name:    "demo",
		summary: "play a customer against a running server: order, pay, remind (watch the dashboard)",
		flags: func(fs *flag.FlagSet) func() error {
			fs.StringVar(&server, "server", "", serverFlagHelp)
			fs.Int64Var(&user, "user", 7, "which test customer logs in (each number is its own customer)")
			return func() error {
				if user <= 0 {
					return errors.New("--user must be a positive id")
				}
				return nil
			}
		},
		graph: func(cfg bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.ServerTools(cfg, log, func(db bootstrap.Database) error {
				base := serverURL(server, cfg)
				switch err := checkServer(context.Background(), base, db); {
				case errors.Is(err, errOtherDatabase), errors.Is(err, errNoServer):
					return err
				case err != nil:
					log.Warn("could not check that the server uses this command's database "+db.Where, "err", err)
				}
				c := demoClient{base: base, out: stdout}
				if err := c.logIn(user); err != nil {
					return err
				}
				return c.play(cfg.ReminderCooldown)
			})
		},
	}
}

type demoClient struct {
	base, token string
	out         io.Writer
}

// logIn logs the test customer in through the mini-program's login. A server with WeChat
// credentials asks WeChat, which refuses a made-up code: the demo is for a dev server.
func (c *demoClient) logIn(user int64) error {
	var login struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	if err := c.call(http.MethodPost, "/user/user/login", fmt.Sprintf(`{"code":"orderalert-demo-%d"}`, user), &login); err != nil {
		return fmt.Errorf("log in as the demo customer (a server with ORDERALERT_WECHAT_APPID set asks WeChat, which refuses a test code): %w", err)
	}
	c.token = login.Token
	c.say("logged in as customer %d through POST /user/user/login", login.ID)
	return nil
}

func (c demoClient) play(cooldown time.Duration) error {
	var order struct {
		ID          int64  `json:"id"`
		OrderNumber string `json:"orderNumber"`
	}
	if err := c.call(http.MethodPost, "/user/order/submit", `{"amount": 42.5, "remark": "少放辣", "consignee": "演示顾客"}`, &order); err != nil {
		return err
	}
	c.say("placed order %s (id %d)", order.OrderNumber, order.ID)
	if err := c.call(http.MethodPut, "/user/order/payment", fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, order.OrderNumber), nil); err != nil {
		return err
	}
	c.say("paid it: the dashboard shows 来单提醒 and says 「您有新的外卖订单，订单号%s」", order.OrderNumber)
	wait := cooldown + time.Second
	c.say("waiting %s, the reminder cooldown, before the customer taps 催单…", wait.Round(time.Second))
	time.Sleep(wait)
	if err := c.call(http.MethodGet, fmt.Sprintf("/user/order/reminder/%d", order.ID), "", nil); err != nil {
		return err
	}
	c.say("reminded the shop: the dashboard shows 客户催单 and says 「顾客催单，订单号%s，请尽快处理」", order.OrderNumber)
	return nil
}

func (c demoClient) say(format string, args ...any) {
	_, _ = fmt.Fprintf(c.out, "demo: "+format+"\n", args...)
}

func (c demoClient) call(method, path, body string, data any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("authentication", c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: is `orderalert serve` running at %s? %w", method, path, c.base, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var envelope struct {
		Code int             `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil {
		return fmt.Errorf("%s %s: %d, not orderalert's answer: %w", method, path, resp.StatusCode, err)
	}
	if envelope.Code != 1 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, envelope.Msg)
	}
	if data != nil {
		return json.Unmarshal(envelope.Data, data)
	}
	return nil
}
