package wechatpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/wechatpay"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

var paid = wechatpaytest.Transaction{
	OutTradeNo: "OA20260101000042", TransactionID: "4200002601202601011234567890",
	TradeState: "SUCCESS", MchID: "1230000109", AppID: "wxd678efh567hg6787", TotalFen: 2599,
}

func notifications(t testing.TB, p *wechatpaytest.Platform) *wechatpay.Notifications {
	t.Helper()
	n, err := wechatpay.New(wechatpay.Config{APIv3Key: p.APIv3Key, PublicKeyID: p.KeyID, PublicKey: &p.PrivateKey.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// forge makes a notification on the test's platform p; other is a second platform, for keys
// that are not p's.
type forge func(t *testing.T, p, other *wechatpaytest.Platform) (http.Header, []byte)

func notification(tx wechatpaytest.Transaction, opts ...wechatpaytest.Option) forge {
	return func(t *testing.T, p, _ *wechatpaytest.Platform) (http.Header, []byte) {
		return p.Notification(t, tx, opts...)
	}
}

// withHeader sets a header of a genuine notification after it was signed.
func withHeader(name, value string) forge {
	return func(t *testing.T, p, _ *wechatpaytest.Platform) (http.Header, []byte) {
		h, body := p.Notification(t, paid)
		h.Set(name, value)
		return h, body
	}
}

// signed is a body that WeChat Pay would never send, but signed as if it had.
func signed(body string) forge {
	return func(t *testing.T, p, _ *wechatpaytest.Platform) (http.Header, []byte) {
		return p.SignedHeader(t, []byte(body)), []byte(body)
	}
}

func TestOpenReturnsTheTransaction(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	n := notifications(t, p)
	notPaid := paid
	notPaid.TradeState = "NOTPAY"
	tests := map[string]struct {
		forge forge
		want  wechatpaytest.Transaction
	}{
		"paid": {notification(paid), paid},
		// The use case decides what a state other than SUCCESS means.
		"not paid": {notification(notPaid), notPaid},
		// The SDK takes WeChat Pay's only signature type when none is named.
		"no signature type": {notification(paid, wechatpaytest.WithoutHeader("Wechatpay-Signature-Type")), paid},
		"four minutes old":  {notification(paid, wechatpaytest.WithTimestamp(time.Now().Add(-4*time.Minute))), paid},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, body := tt.forge(t, p, nil)
			got, err := n.Open(context.Background(), h, body)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if want := notice(tt.want); got != want {
				t.Errorf("Open = %+v, want %+v", got, want)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	p, other := wechatpaytest.NewPlatform(t), wechatpaytest.NewPlatform(t)
	n := notifications(t, p)
	unauthenticated, invalid := application.ErrUnauthenticated, application.ErrInvalidInput
	tests := map[string]struct {
		forge forge
		want  error
	}{
		"forged signature": {func(t *testing.T, p, other *wechatpaytest.Platform) (http.Header, []byte) {
			return p.Notification(t, paid, wechatpaytest.SignedBy(other.PrivateKey))
		}, unauthenticated},
		"tampered body":          {notification(paid, wechatpaytest.TamperBody()), unauthenticated},
		"other key id":           {notification(paid, wechatpaytest.WithSerial("PUB_KEY_ID_0114232134912410000000000000")), unauthenticated},
		"six minutes old":        {notification(paid, wechatpaytest.WithTimestamp(time.Now().Add(-6*time.Minute))), unauthenticated},
		"six minutes ahead":      {notification(paid, wechatpaytest.WithTimestamp(time.Now().Add(6*time.Minute))), unauthenticated},
		"no signature":           {notification(paid, wechatpaytest.WithoutHeader("Wechatpay-Signature")), unauthenticated},
		"no serial":              {notification(paid, wechatpaytest.WithoutHeader("Wechatpay-Serial")), unauthenticated},
		"no nonce":               {notification(paid, wechatpaytest.WithoutHeader("Wechatpay-Nonce")), unauthenticated},
		"no timestamp":           {notification(paid, wechatpaytest.WithoutHeader("Wechatpay-Timestamp")), unauthenticated},
		"blank signature":        {withHeader("Wechatpay-Signature", " "), unauthenticated},
		"signature not base64":   {withHeader("Wechatpay-Signature", "not base64!"), unauthenticated},
		"timestamp not a number": {withHeader("Wechatpay-Timestamp", "now"), unauthenticated},
		"nonce with a newline":   {withHeader("Wechatpay-Nonce", "a\nb"), unauthenticated},
		"other signature type":   {withHeader("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3"), unauthenticated},
		"no header at all": {func(*testing.T, *wechatpaytest.Platform, *wechatpaytest.Platform) (http.Header, []byte) {
			return nil, []byte("{}")
		}, unauthenticated},
		"encrypted with other key": {func(t *testing.T, p, other *wechatpaytest.Platform) (http.Header, []byte) {
			return p.Notification(t, paid, wechatpaytest.EncryptedWith(other.APIv3Key))
		}, invalid},
		"no resource":                   {notification(paid, wechatpaytest.WithoutBodyField("resource")), invalid},
		"no out_trade_no":               {notification(paid, wechatpaytest.WithoutTransactionField("out_trade_no")), invalid},
		"no amount":                     {notification(paid, wechatpaytest.WithoutTransactionField("amount")), invalid},
		"amount without total":          {notification(paid, wechatpaytest.WithPlaintext([]byte(`{"out_trade_no":"OA1","amount":{"currency":"CNY"}}`))), invalid},
		"plaintext not JSON":            {notification(paid, wechatpaytest.WithPlaintext([]byte("not json"))), invalid},
		"body not JSON":                 {signed("payment ok"), invalid},
		"body null":                     {signed("null"), invalid},
		"resource null":                 {signed(`{"resource":null}`), invalid},
		"other algorithm":               {signed(`{"resource":{"algorithm":"AEAD_SM4_GCM","nonce":"0123456789ab","ciphertext":"AAAA"}}`), invalid},
		"resource nonce of 11":          {signed(`{"resource":{"algorithm":"AEAD_AES_256_GCM","nonce":"0123456789a","ciphertext":"AAAA"}}`), invalid},
		"ciphertext not base64":         {signed(`{"resource":{"algorithm":"AEAD_AES_256_GCM","nonce":"0123456789ab","ciphertext":"!"}}`), invalid},
		"ciphertext shorter than a tag": {signed(`{"resource":{"algorithm":"AEAD_AES_256_GCM","nonce":"0123456789ab","ciphertext":"AAAA"}}`), invalid},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, body := tt.forge(t, p, other)
			got, err := n.Open(context.Background(), h, body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %+v, %v; want an error wrapping %v", got, err, tt.want)
			}
			if errors.Is(tt.want, invalid) && errors.Is(err, unauthenticated) {
				t.Errorf("a verified notification gave %v", err)
			}
			if got != (application.PaymentNotice{}) {
				t.Errorf("Open returned %+v with its error", got)
			}
			assertSecretsNotIn(t, err.Error(), p, other, h, body)
		})
	}
}

// assertSecretsNotIn checks that an error, which will be logged, repeats nothing of the
// notification but its key id.
func assertSecretsNotIn(t *testing.T, msg string, p, other *wechatpaytest.Platform, h http.Header, body []byte) {
	t.Helper()
	secrets := map[string]string{
		"the APIv3 key": p.APIv3Key, "the other APIv3 key": other.APIv3Key,
		"the signature": h.Get("Wechatpay-Signature"), "the request id": h.Get("Request-ID"),
	}
	if len(body) > 16 {
		secrets["the body"] = string(body)
	}
	var b struct {
		Resource *struct {
			Ciphertext string `json:"ciphertext"`
		} `json:"resource"`
	}
	if json.Unmarshal(body, &b) == nil && b.Resource != nil && len(b.Resource.Ciphertext) > 16 {
		secrets["the ciphertext"] = b.Resource.Ciphertext
	}
	for what, secret := range secrets {
		if strings.TrimSpace(secret) != "" && strings.Contains(msg, secret) {
			t.Errorf("error %q contains %s", msg, what)
		}
	}
}
