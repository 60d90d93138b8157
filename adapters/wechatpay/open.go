package wechatpay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wechatpay-apiv3/wechatpay-go/core/consts"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"

	"github.com/orderalert/orderalert/application"
)

const (
	headerSignatureType = "Wechatpay-Signature-Type"
	signatureType       = "WECHATPAY2-SHA256-RSA2048"
	algorithm           = "AEAD_AES_256_GCM"
	// gcmNonceSize is the only nonce length AES-GCM takes; resource.nonce is used as is.
	gcmNonceSize = 12
)

// Open verifies a notification exactly as received and returns the transaction it carries.
// Errors wrap application.ErrUnauthenticated (not verified) or application.ErrInvalidInput
// (verified but unreadable).
func (n *Notifications) Open(ctx context.Context, header http.Header, body []byte) (application.PaymentNotice, error) {
	if err := n.checkHeader(header); err != nil {
		return application.PaymentNotice{}, err
	}
	// The SDK's reasons are not returned: they name the request id, and its later wrapping of
	// them prints the whole request. checkHeader has already said what is usually wrong.
	if err := n.validator.Validate(ctx, request(ctx, header, body)); err != nil {
		return application.PaymentNotice{}, unauthenticated("the signature does not verify")
	}
	if err := checkEnvelope(body); err != nil {
		return application.PaymentNotice{}, err
	}
	var tx payments.Transaction
	if _, err := n.handler.ParseNotifyRequest(ctx, request(ctx, header, body), &tx); err != nil {
		// ParseNotifyRequest verifies again before it decrypts: a notification that reached the
		// end of its five minutes in between is stale, not unreadable.
		if n.validator.Validate(ctx, request(ctx, header, body)) != nil {
			return application.PaymentNotice{}, unauthenticated("Wechatpay-Timestamp expired")
		}
		return application.PaymentNotice{}, invalid("resource cannot be decrypted with the APIv3 key or is not a transaction")
	}
	return notice(&tx)
}

// checkHeader rejects what the SDK would also reject, but says why. It also refuses a nonce with
// control characters: the signed message is "timestamp\nnonce\nbody\n", and a nonce holding a
// newline could move the start of the body.
func (n *Notifications) checkHeader(h http.Header) error {
	if t := strings.TrimSpace(h.Get(headerSignatureType)); t != "" && t != signatureType {
		return unauthenticated("unsupported " + headerSignatureType)
	}
	for _, name := range []string{consts.WechatPaySerial, consts.WechatPaySignature, consts.WechatPayTimestamp, consts.WechatPayNonce} {
		// The SDK trims too; a missing timestamp would otherwise only fail as "expired".
		if strings.TrimSpace(h.Get(name)) == "" {
			return unauthenticated("no " + name)
		}
	}
	if serial := strings.TrimSpace(h.Get(consts.WechatPaySerial)); serial != n.keyID {
		return unauthenticated(fmt.Sprintf("%s %.64q is not the id of our WeChat Pay public key", consts.WechatPaySerial, serial))
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(h.Get(consts.WechatPayTimestamp)), 10, 64)
	if err != nil {
		return unauthenticated("malformed " + consts.WechatPayTimestamp)
	}
	// The same test as the SDK's: whole seconds, less than five minutes either way.
	if d := time.Now().Unix() - ts; d >= consts.FiveMinute || d <= -consts.FiveMinute {
		return unauthenticated(consts.WechatPayTimestamp + " is not within five minutes of now")
	}
	if strings.ContainsFunc(strings.TrimSpace(h.Get(consts.WechatPayNonce)), unicode.IsControl) {
		return unauthenticated("malformed " + consts.WechatPayNonce)
	}
	return nil
}

// envelope is the part of a notification that must be checked before the SDK decrypts it.
type envelope struct {
	Resource *struct {
		Algorithm string `json:"algorithm"`
		Nonce     string `json:"nonce"`
	} `json:"resource"`
}

// checkEnvelope guards the SDK, which reads resource without checking that it is there and gives
// resource.nonce to AES-GCM, which panics on a nonce of the wrong length.
func checkEnvelope(body []byte) error {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return invalid("the body is not a JSON notification")
	}
	switch {
	case e.Resource == nil:
		return invalid("the notification has no resource")
	case e.Resource.Algorithm != algorithm:
		return invalid("resource.algorithm is not " + algorithm)
	case len(e.Resource.Nonce) != gcmNonceSize:
		return invalid("resource.nonce is not 12 bytes")
	}
	return nil
}

// notice keeps what the use case needs, which must be there: the order and the amount paid.
func notice(tx *payments.Transaction) (application.PaymentNotice, error) {
	if value(tx.OutTradeNo) == "" {
		return application.PaymentNotice{}, invalid("the transaction has no out_trade_no")
	}
	if tx.Amount == nil || tx.Amount.Total == nil {
		return application.PaymentNotice{}, invalid("the transaction has no amount.total")
	}
	return application.PaymentNotice{
		OutTradeNo:    *tx.OutTradeNo,
		TransactionID: value(tx.TransactionId),
		TradeState:    value(tx.TradeState),
		MchID:         value(tx.Mchid),
		AppID:         value(tx.Appid),
		TotalFen:      *tx.Amount.Total,
	}, nil
}

// request rebuilds the notification as the http.Request the SDK reads its header and body from.
func request(ctx context.Context, header http.Header, body []byte) *http.Request {
	r := &http.Request{Method: http.MethodPost, Header: header, Body: io.NopCloser(bytes.NewReader(body))}
	return r.WithContext(ctx)
}

func value(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func unauthenticated(reason string) error {
	return fmt.Errorf("wechatpay: %w: %s", application.ErrUnauthenticated, reason)
}

func invalid(reason string) error {
	return fmt.Errorf("wechatpay: %w: %s", application.ErrInvalidInput, reason)
}
