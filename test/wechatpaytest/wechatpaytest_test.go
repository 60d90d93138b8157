package wechatpaytest_test

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/wechatpaytest"
)

var tx = wechatpaytest.Transaction{
	OutTradeNo: "1217752501201407033233368018", TransactionID: "4200000000202601010000000001",
	TradeState: "SUCCESS", MchID: "1230000109", AppID: "wxd678efh567hg6787", TotalFen: 2599,
}

type body struct {
	ID           string `json:"id"`
	CreateTime   string `json:"create_time"`
	ResourceType string `json:"resource_type"`
	EventType    string `json:"event_type"`
	Summary      string `json:"summary"`
	Resource     struct {
		OriginalType   string `json:"original_type"`
		Algorithm      string `json:"algorithm"`
		Ciphertext     string `json:"ciphertext"`
		AssociatedData string `json:"associated_data"`
		Nonce          string `json:"nonce"`
	} `json:"resource"`
}

// The notification is checked here with the standard library alone, as WeChat Pay documents it,
// so that the adapter's tests rest on something independent of the SDK.
func TestNotificationIsWhatWeChatPaySends(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	h, raw := p.Notification(t, tx)

	if !strings.HasPrefix(p.KeyID, "PUB_KEY_ID_TEST") || len(p.APIv3Key) != 32 {
		t.Fatalf("key id %q, APIv3 key of %d bytes", p.KeyID, len(p.APIv3Key))
	}
	for name, want := range map[string]string{
		"Wechatpay-Serial": p.KeyID, "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
		"Content-Type": "application/json",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if h.Get("Request-ID") == "" || h.Get("Wechatpay-Nonce") == "" {
		t.Errorf("headers %v lack Request-ID or Wechatpay-Nonce", h)
	}
	ts, err := strconv.ParseInt(h.Get("Wechatpay-Timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
		t.Errorf("Wechatpay-Timestamp %q is not now", h.Get("Wechatpay-Timestamp"))
	}
	if err := verifySignature(p, h, raw); err != nil {
		t.Errorf("signature: %v", err)
	}

	if !bytes.HasPrefix(raw, []byte(`{"id":"`)) || !bytes.Contains(raw, []byte(`"resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"`)) {
		t.Errorf("body %s", raw)
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(time.RFC3339, b.CreateTime); err != nil || !strings.HasSuffix(b.CreateTime, "+08:00") {
		t.Errorf("create_time %q", b.CreateTime)
	}
	if len(b.Resource.Nonce) != 12 || b.Resource.AssociatedData != "transaction" {
		t.Errorf("resource %+v", b.Resource)
	}
	plain := decrypt(t, p.APIv3Key, b)
	want := `{"mchid":"1230000109","appid":"wxd678efh567hg6787","out_trade_no":"1217752501201407033233368018",` +
		`"transaction_id":"4200000000202601010000000001","trade_type":"JSAPI","trade_state":"SUCCESS",` +
		`"trade_state_desc":"支付成功","bank_type":"OTHERS","attach":"","success_time":"`
	if !strings.HasPrefix(plain, want) || !strings.HasSuffix(plain, `"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},`+
		`"amount":{"total":2599,"payer_total":2599,"currency":"CNY","payer_currency":"CNY"}}`) {
		t.Errorf("plaintext %s", plain)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	other := wechatpaytest.NewPlatform(t)
	h, raw := p.Notification(t, tx, wechatpaytest.WithSerial("PUB_KEY_ID_OTHER"), wechatpaytest.WithoutHeader("Wechatpay-Nonce"),
		wechatpaytest.WithTimestamp(time.Unix(1700000000, 0)), wechatpaytest.EncryptedWith(other.APIv3Key),
		wechatpaytest.WithoutTransactionField("amount"))
	if h.Get("Wechatpay-Serial") != "PUB_KEY_ID_OTHER" || h.Get("Wechatpay-Timestamp") != "1700000000" || len(h.Values("Wechatpay-Nonce")) != 0 {
		t.Errorf("headers %v", h)
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if b.CreateTime != "2023-11-15T06:13:20+08:00" {
		t.Errorf("create_time %q", b.CreateTime)
	}
	if plain := decrypt(t, other.APIv3Key, b); strings.Contains(plain, `"amount"`) || !strings.Contains(plain, `"out_trade_no"`) {
		t.Errorf("plaintext %s", plain)
	}

	h, raw = p.Notification(t, tx, wechatpaytest.WithoutBodyField("resource"))
	if bytes.Contains(raw, []byte("resource\":")) || !json.Valid(raw) || verifySignature(p, h, raw) != nil {
		t.Errorf("body without resource %s: want it valid JSON, signed as sent", raw)
	}
	h, raw = p.Notification(t, tx, wechatpaytest.TamperBody())
	if !json.Valid(raw) || verifySignature(p, h, raw) == nil {
		t.Errorf("tampered body %s still matches its signature", raw)
	}

	_, raw = p.Notification(t, tx, wechatpaytest.WithPlaintext([]byte("not json")))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if plain := decrypt(t, p.APIv3Key, b); plain != "not json" {
		t.Errorf("plaintext %q", plain)
	}
}

func TestWritePublicKey(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	data, err := os.ReadFile(p.WritePublicKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if block, _ := pem.Decode(data); block == nil || block.Type != "PUBLIC KEY" || !bytes.Equal(data, p.PublicKeyPEM()) {
		t.Errorf("file %s", data)
	}
}

func decrypt(t *testing.T, key string, b body) string {
	t.Helper()
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := base64.StdEncoding.DecodeString(b.Resource.Ciphertext)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := gcm.Open(nil, []byte(b.Resource.Nonce), ct, []byte(b.Resource.AssociatedData))
	if err != nil {
		t.Fatalf("decrypting: %v", err)
	}
	return string(plain)
}

// verifySignature checks a notification's signature the way WeChat Pay defines it.
func verifySignature(p *wechatpaytest.Platform, h http.Header, raw []byte) error {
	sig, err := base64.StdEncoding.DecodeString(h.Get("Wechatpay-Signature"))
	if err != nil {
		return err
	}
	hashed := sha256.Sum256([]byte(h.Get("Wechatpay-Timestamp") + "\n" + h.Get("Wechatpay-Nonce") + "\n" + string(raw) + "\n"))
	return rsa.VerifyPKCS1v15(&p.PrivateKey.PublicKey, crypto.SHA256, hashed[:], sig)
}
