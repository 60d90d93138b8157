package bootstrap

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/wechatlogin"
	"github.com/orderalert/orderalert/application"
)

// customers is the mini-program's login (DESIGN §16): WeChat's jscode2session with the app's
// credentials; without them a stable test openid outside production, and a refusal in it.
func customers(cfg Config) fx.Option {
	return fx.Provide(
		func() application.WeChatSessions {
			switch {
			case cfg.WeChatAppID != "":
				return &wechatlogin.Client{Base: cfg.WeChatAPIBase, AppID: cfg.WeChatAppID, Secret: cfg.WeChatSecret}
			case cfg.Mode == ModeProduction:
				return wechatlogin.NotConfigured{}
			default:
				return wechatlogin.Dev{}
			}
		},
		func(w application.WeChatSessions, c application.CustomerRepository, t application.Tokens, clock application.Clock) application.CustomerLogin {
			return application.CustomerLogin{WeChat: w, Customers: c, Tokens: t, Clock: clock}
		},
	)
}
