package wechatpaytest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"testing"
	"time"
)

// Transaction is what a notification reports: the fields of WeChat Pay's transaction that the
// merchant reads. The others (payer, currency, …) are filled in as WeChat Pay would.
type Transaction struct {
	OutTradeNo    string // the merchant's order number
	TransactionID string // WeChat Pay's
	TradeState    string // SUCCESS, NOTPAY, CLOSED, REFUND, …
	MchID         string
	AppID         string
	TotalFen      int64 // amount.total (and amount.payer_total)
}

// Option makes a notification differ from a genuine one.
type Option func(*settings)

type settings struct {
	now           time.Time
	serial        string
	signer        *rsa.PrivateKey
	apiV3Key      string
	plaintext     []byte
	tamper        bool
	withoutHeader []string
	withoutBody   []string
	withoutTx     []string
}

// WithTimestamp sends the notification as if at t (Wechatpay-Timestamp and create_time).
func WithTimestamp(t time.Time) Option { return func(s *settings) { s.now = t } }

// WithSerial sends serial as Wechatpay-Serial instead of the platform's key id.
func WithSerial(serial string) Option { return func(s *settings) { s.serial = serial } }

// SignedBy signs with key instead of the platform's private key.
func SignedBy(key *rsa.PrivateKey) Option { return func(s *settings) { s.signer = key } }

// EncryptedWith encrypts the resource with key instead of the platform's APIv3 key.
func EncryptedWith(key string) Option { return func(s *settings) { s.apiV3Key = key } }

// WithPlaintext encrypts plaintext instead of the transaction's JSON.
func WithPlaintext(plaintext []byte) Option { return func(s *settings) { s.plaintext = plaintext } }

// TamperBody changes one byte of the body after it was signed: the first character of the
// notification id, so that the body remains valid JSON and only the signature can tell.
func TamperBody() Option { return func(s *settings) { s.tamper = true } }

// WithoutHeader leaves the header name out (after signing).
func WithoutHeader(name string) Option {
	return func(s *settings) { s.withoutHeader = append(s.withoutHeader, name) }
}

// WithoutBodyField leaves the top-level field name (e.g. "resource") out of the body, which is
// signed without it.
func WithoutBodyField(name string) Option {
	return func(s *settings) { s.withoutBody = append(s.withoutBody, name) }
}

// WithoutTransactionField leaves the top-level field name (e.g. "out_trade_no", "amount") out of
// the encrypted transaction.
func WithoutTransactionField(name string) Option {
	return func(s *settings) { s.withoutTx = append(s.withoutTx, name) }
}

func (p *Platform) defaults() settings {
	return settings{now: time.Now(), serial: p.KeyID, signer: p.PrivateKey, apiV3Key: p.APIv3Key}
}

// Notification returns the headers and body of the notification WeChat Pay would POST to the
// merchant for tx, changed by opts.
func (p *Platform) Notification(t testing.TB, tx Transaction, opts ...Option) (header http.Header, body []byte) {
	t.Helper()
	s := p.defaults()
	for _, o := range opts {
		o(&s)
	}
	plaintext := s.plaintext
	if plaintext == nil {
		plaintext = marshal(t, transaction(tx, s.now).without(s.withoutTx))
	}
	resourceNonce := randomString(t, alphanumerics, 12)
	body = marshal(t, object{
		{"id", uuid(t)},
		{"create_time", s.now.In(chinaTime).Format(time.RFC3339)},
		{"resource_type", "encrypt-resource"},
		{"event_type", "TRANSACTION.SUCCESS"},
		{"summary", "支付成功"},
		{"resource", object{
			{"original_type", "transaction"},
			{"algorithm", "AEAD_AES_256_GCM"},
			{"ciphertext", encrypt(t, s.apiV3Key, resourceNonce, plaintext)},
			{"associated_data", associatedData},
			{"nonce", resourceNonce},
		}},
	}.without(s.withoutBody))
	header = p.header(t, &s, body)
	if s.tamper {
		i := len(`{"id":"`)
		body[i] ^= 1 // '0'↔'1', 'a'↔'`', …: still a character of the id, still valid JSON
	}
	for _, name := range s.withoutHeader {
		header.Del(name)
	}
	return header, body
}

// transaction is the plaintext of the resource, its fields in WeChat Pay's order.
func transaction(tx Transaction, now time.Time) object {
	desc := map[string]string{"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭", "REFUND": "转入退款"}[tx.TradeState]
	return object{
		{"mchid", tx.MchID},
		{"appid", tx.AppID},
		{"out_trade_no", tx.OutTradeNo},
		{"transaction_id", tx.TransactionID},
		{"trade_type", "JSAPI"},
		{"trade_state", tx.TradeState},
		{"trade_state_desc", desc},
		{"bank_type", "OTHERS"},
		{"attach", ""},
		{"success_time", now.In(chinaTime).Format(time.RFC3339)},
		{"payer", object{{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
		{"amount", object{
			{"total", tx.TotalFen},
			{"payer_total", tx.TotalFen},
			{"currency", "CNY"},
			{"payer_currency", "CNY"},
		}},
	}
}

// associatedData is resource.associated_data of a transaction, authenticated but not encrypted.
const associatedData = "transaction"

// encrypt is AEAD_AES_256_GCM as WeChat Pay uses it: the 12-character nonce and the associated
// data are sent in the clear, the ciphertext (with its tag) in base64.
func encrypt(t testing.TB, key, nonce string, plaintext []byte) string {
	t.Helper()
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatalf("wechatpaytest: the APIv3 key: %v", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plaintext, []byte(associatedData)))
}

// uuid is a random notification id.
func uuid(t testing.TB) string {
	t.Helper()
	h := randomString(t, "0123456789abcdef", 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}
