package bootstrap

import (
	"context"
	"log/slog"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/wechatpay"
	"github.com/orderalert/orderalert/application"
)

// payments provides the verification of WeChat Pay notifications when its keys are configured;
// otherwise the webhook refuses every notification and says what is missing.
func payments(cfg Config) fx.Option {
	if !cfg.WeChatPayConfigured() {
		return fx.Options(prepayments(cfg), fx.Provide(fx.Annotate(func() wechatpay.Disabled { return wechatpay.Disabled{} }, fx.As(new(application.PaymentNotifications)))))
	}
	return fx.Options(prepayments(cfg), fx.Provide(fx.Annotate(func() (*wechatpay.Notifications, error) {
		key, err := wechatpay.LoadPublicKey(cfg.WeChatPayPublicKey)
		if err != nil {
			return nil, err
		}
		return wechatpay.New(wechatpay.Config{APIv3Key: cfg.WeChatPayAPIv3Key, PublicKeyID: cfg.WeChatPayPublicKeyID, PublicKey: key})
	}, fx.As(new(application.PaymentNotifications)))))
}

// prepayments creates and closes WeChat Pay payments in wechat mode; with simulated payments
// nothing calls the prepays (a Disabled one says so if anything ever does) and nothing needs
// closing.
func prepayments(cfg Config) fx.Option {
	if cfg.PaymentMode != PaymentWeChat {
		return fx.Provide(
			fx.Annotate(func() wechatpay.Disabled { return wechatpay.Disabled{} }, fx.As(new(application.Prepayments))),
			fx.Annotate(func() application.NoPaymentToClose { return application.NoPaymentToClose{} }, fx.As(new(application.PaymentCloser))),
		)
	}
	return fx.Provide(fx.Annotate(func(log *slog.Logger) (*wechatpay.Prepayer, error) {
		mchKey, err := wechatpay.LoadPrivateKey(cfg.WeChatPayMchKey)
		if err != nil {
			return nil, err
		}
		pubKey, err := wechatpay.LoadPublicKey(cfg.WeChatPayPublicKey)
		if err != nil {
			return nil, err
		}
		return wechatpay.NewPrepayer(context.Background(), wechatpay.PrepayConfig{
			MchID: cfg.WeChatPayMchID, MchCertSerial: cfg.WeChatPayMchSerial, MchKey: mchKey,
			PublicKeyID: cfg.WeChatPayPublicKeyID, PublicKey: pubKey, AppID: cfg.WeChatPayAppID,
			NotifyURL: cfg.WeChatPayNotifyURL, APIBase: cfg.WeChatPayAPIBase, Log: log,
		})
	}, fx.As(new(application.Prepayments)), fx.As(new(application.PaymentCloser))))
}
