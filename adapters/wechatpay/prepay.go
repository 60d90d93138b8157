package wechatpay

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"github.com/orderalert/orderalert/application"
)

var _ application.Prepayments = (*Prepayer)(nil)

// DefaultAPIBase is WeChat Pay's merchant API.
const DefaultAPIBase = "https://api.mch.weixin.qq.com"

// description is the product description WeChat shows the payer, as sky-take-out sends it.
const description = "苍穹外卖订单"

// chinaTime is the zone WeChat Pay's documentation writes time_expire in (+08:00).
var chinaTime = time.FixedZone("CST", 8*60*60)

// PrepayConfig is what the merchant platform gives us to create payments.
type PrepayConfig struct {
	MchID         string
	MchCertSerial string          // the serial of the merchant's API certificate
	MchKey        *rsa.PrivateKey // signs requests and wx.requestPayment (see LoadPrivateKey)
	PublicKeyID   string          // the WeChat Pay public key, which signs WeChat's answers
	PublicKey     *rsa.PublicKey
	AppID         string // the mini-program's app id, bound to MchID
	NotifyURL     string // where WeChat Pay sends the payment notification
	APIBase       string // DefaultAPIBase, or a stand-in's URL in tests
	Timeout       time.Duration
	Log           *slog.Logger
}

// Prepayer creates JSAPI prepays with wechatpay-go. It is safe for concurrent use.
type Prepayer struct {
	svc jsapi.JsapiApiService
	cfg PrepayConfig
}

// NewPrepayer returns a Prepayer for cfg; it makes no network call. Its errors never contain
// the key.
func NewPrepayer(ctx context.Context, cfg PrepayConfig) (*Prepayer, error) {
	base, err := url.Parse(cfg.APIBase)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("wechatpay: the API base %q is not an http(s) URL", cfg.APIBase)
	}
	if cfg.MchKey == nil || cfg.PublicKey == nil {
		return nil, errors.New("wechatpay: prepay needs the merchant key and the WeChat Pay public key")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	client, err := core.NewClient(ctx,
		option.WithWechatPayPublicKeyAuthCipher(cfg.MchID, cfg.MchCertSerial, cfg.MchKey, cfg.PublicKeyID, cfg.PublicKey),
		option.WithHTTPClient(&http.Client{Timeout: cfg.Timeout, Transport: rebase{base: base, next: http.DefaultTransport}}))
	if err != nil {
		return nil, errors.New("wechatpay: the merchant settings do not make a client")
	}
	return &Prepayer{svc: jsapi.JsapiApiService{Client: client}, cfg: cfg}, nil
}

// Prepay implements application.Prepayments.
func (p *Prepayer) Prepay(ctx context.Context, req application.PrepayRequest) (application.PaymentRequest, error) {
	resp, _, err := p.svc.PrepayWithRequestPayment(ctx, jsapi.PrepayRequest{
		Appid: core.String(p.cfg.AppID), Mchid: core.String(p.cfg.MchID), Description: core.String(description),
		OutTradeNo: core.String(req.OrderNumber), NotifyUrl: core.String(p.cfg.NotifyURL),
		// The SDK formats time_expire in the time's own zone: +08:00, as WeChat documents it.
		TimeExpire: core.Time(req.ExpiresAt.In(chinaTime)),
		Amount:     &jsapi.Amount{Total: core.Int64(int64(req.Amount)), Currency: core.String("CNY")},
		Payer:      &jsapi.Payer{Openid: core.String(req.OpenID)},
	})
	if err != nil {
		return application.PaymentRequest{}, p.failure(ctx, req.OrderNumber, err)
	}
	return application.PaymentRequest{
		PrepayID: deref(resp.PrepayId), AppID: deref(resp.Appid), TimeStamp: deref(resp.TimeStamp),
		NonceStr: deref(resp.NonceStr), Package: deref(resp.Package), SignType: deref(resp.SignType), PaySign: deref(resp.PaySign),
	}, nil
}

// RequestPayment implements application.Prepayments: it signs locally, as the SDK's
// PrepayWithRequestPayment does after its call.
func (p *Prepayer) RequestPayment(ctx context.Context, prepayID string) (application.PaymentRequest, error) {
	nonce, err := utils.GenerateNonce()
	if err != nil {
		return application.PaymentRequest{}, fmt.Errorf("wechatpay: a nonce: %w", err)
	}
	r := application.PaymentRequest{
		PrepayID: prepayID, AppID: p.cfg.AppID, TimeStamp: strconv.FormatInt(time.Now().Unix(), 10),
		NonceStr: nonce, Package: "prepay_id=" + prepayID, SignType: "RSA",
	}
	sig, err := p.svc.Client.Sign(ctx, r.AppID+"\n"+r.TimeStamp+"\n"+r.NonceStr+"\n"+r.Package+"\n")
	if err != nil {
		return application.PaymentRequest{}, errors.New("wechatpay: signing wx.requestPayment failed")
	}
	r.PaySign = sig.Signature
	return r, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// rebase sends every request to the configured API base: the SDK's URLs are constants
// (consts.WechatPayAPIServer). The merchant signature covers the path and query only, so the
// rewrite does not touch it.
type rebase struct {
	base *url.URL
	next http.RoundTripper
}

func (r rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = r.base.Scheme, r.base.Host, r.base.Host
	return r.next.RoundTrip(req)
}
