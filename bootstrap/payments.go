package bootstrap

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/wechatpay"
	"github.com/orderalert/orderalert/application"
)

// payments provides the verification of WeChat Pay notifications when its keys are configured;
// otherwise the webhook refuses every notification and says what is missing.
func payments(cfg Config) fx.Option {
	if !cfg.WeChatPayConfigured() {
		return fx.Provide(fx.Annotate(func() wechatpay.Disabled { return wechatpay.Disabled{} }, fx.As(new(application.PaymentNotifications))))
	}
	return fx.Provide(fx.Annotate(func() (*wechatpay.Notifications, error) {
		key, err := wechatpay.LoadPublicKey(cfg.WeChatPayPublicKey)
		if err != nil {
			return nil, err
		}
		return wechatpay.New(wechatpay.Config{APIv3Key: cfg.WeChatPayAPIv3Key, PublicKeyID: cfg.WeChatPayPublicKeyID, PublicKey: key})
	}, fx.As(new(application.PaymentNotifications))))
}
