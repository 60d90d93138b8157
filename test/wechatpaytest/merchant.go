package wechatpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Merchant is a WeChat Pay merchant: its id, the serial of its API certificate and the key pair
// it signs requests and wx.requestPayment with. The key is generated per test, never committed.
type Merchant struct {
	MchID  string
	Serial string
	Key    *rsa.PrivateKey
}

// NewMerchant returns a merchant with a fresh RSA-2048 key pair.
func NewMerchant(t testing.TB) *Merchant {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("wechatpaytest: generating the merchant key: %v", err)
	}
	return &Merchant{MchID: "1900" + randomString(t, digits, 6), Serial: randomString(t, upperHex, 40), Key: key}
}

// WritePrivateKey writes the key as the merchant platform hands it out (apiclient_key.pem, a
// PKCS #8 "PRIVATE KEY" block) to a file in t.TempDir and returns its path.
func (m *Merchant) WritePrivateKey(t testing.TB) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(m.Key)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	path := filepath.Join(t.TempDir(), "apiclient_key.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatalf("wechatpaytest: writing the merchant key: %v", err)
	}
	return path
}

// VerifyPaySign checks paySign exactly as WeChat's client does before it opens the payment:
// RSA-SHA256 (PKCS #1 v1.5) over "appId\ntimeStamp\nnonceStr\npackage\n" with the merchant's
// public key.
func (m *Merchant) VerifyPaySign(appID, timeStamp, nonceStr, pkg, paySign string) error {
	return verify(&m.Key.PublicKey, appID+"\n"+timeStamp+"\n"+nonceStr+"\n"+pkg+"\n", paySign)
}

func verify(key *rsa.PublicKey, message, signature string) error {
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return errors.New("the signature is not base64")
	}
	hashed := sha256.Sum256([]byte(message))
	return rsa.VerifyPKCS1v15(key, crypto.SHA256, hashed[:], sig)
}
