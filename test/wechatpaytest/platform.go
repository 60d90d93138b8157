// Package wechatpaytest plays WeChat Pay in tests: it holds a platform's keys and forges payment
// notifications byte for byte as WeChat Pay API v3 sends them (the TRANSACTION.SUCCESS body, its
// resource encrypted with AES-256-GCM under the APIv3 key, the Wechatpay-* headers signed with the
// platform's private key), and, through options, every way such a notification can be wrong.
//
// It uses the standard library only: it is the other side of the wechatpay adapter, and must not
// share the adapter's SDK, lest a mistake in one hide in the other.
package wechatpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Header names and values of a notification.
const (
	HeaderSerial        = "Wechatpay-Serial"
	HeaderSignature     = "Wechatpay-Signature"
	HeaderTimestamp     = "Wechatpay-Timestamp"
	HeaderNonce         = "Wechatpay-Nonce"
	HeaderSignatureType = "Wechatpay-Signature-Type"
	HeaderRequestID     = "Request-ID"
	SignatureType       = "WECHATPAY2-SHA256-RSA2048"
)

// Platform is a WeChat Pay merchant setup: the public key id and key pair WeChat Pay signs with,
// and the merchant's APIv3 key. Fields may be changed before forging notifications.
type Platform struct {
	KeyID      string          // the WeChat Pay public key id, sent as Wechatpay-Serial
	APIv3Key   string          // 32 bytes, encrypts the resource
	PrivateKey *rsa.PrivateKey // signs; its PublicKey is what the merchant is given
}

// NewPlatform returns a platform with a fresh RSA-2048 key pair, a random APIv3 key and a key id
// shaped like WeChat Pay's ("PUB_KEY_ID_TEST" and digits).
func NewPlatform(t testing.TB) *Platform {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("wechatpaytest: generating the RSA key: %v", err)
	}
	return &Platform{
		KeyID:      "PUB_KEY_ID_TEST" + randomString(t, digits, 25),
		APIv3Key:   randomString(t, alphanumerics, 32),
		PrivateKey: key,
	}
}

// PublicKeyPEM is the public key as WeChat Pay distributes it: a PKIX "PUBLIC KEY" PEM block.
func (p *Platform) PublicKeyPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(&p.PrivateKey.PublicKey)
	if err != nil {
		panic("wechatpaytest: marshalling an RSA public key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// WritePublicKey writes PublicKeyPEM to a file in t.TempDir and returns its path.
func (p *Platform) WritePublicKey(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pub_key.pem")
	if err := os.WriteFile(path, p.PublicKeyPEM(), 0o600); err != nil {
		t.Fatalf("wechatpaytest: writing the public key: %v", err)
	}
	return path
}

// SignedHeader returns valid headers for any body, signed now with the platform's key: for
// bodies that Notification cannot make.
func (p *Platform) SignedHeader(t testing.TB, body []byte) http.Header {
	t.Helper()
	s := p.defaults()
	return p.header(t, &s, body)
}

// header returns the headers of body as s says they should be.
func (p *Platform) header(t testing.TB, s *settings, body []byte) http.Header {
	t.Helper()
	timestamp := strconv.FormatInt(s.now.Unix(), 10)
	nonce := randomString(t, upperHex, 32)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(HeaderRequestID, randomString(t, upperHex, 32))
	h.Set(HeaderSerial, s.serial)
	h.Set(HeaderTimestamp, timestamp)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, Sign(t, s.signer, timestamp, nonce, body))
	h.Set(HeaderSignatureType, SignatureType)
	return h
}

// Sign is WeChat Pay's signature of a notification: base64 of RSASSA-PKCS1-v1_5 with SHA-256 of
// "timestamp\nnonce\nbody\n".
func Sign(t testing.TB, key *rsa.PrivateKey, timestamp, nonce string, body []byte) string {
	t.Helper()
	hashed := sha256.Sum256([]byte(timestamp + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, hashed[:])
	if err != nil {
		t.Fatalf("wechatpaytest: signing: %v", err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

const (
	digits        = "0123456789"
	upperHex      = "0123456789ABCDEF"
	alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// randomString returns n characters of alphabet drawn with crypto/rand.
func randomString(t testing.TB, alphabet string, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// chinaTime is the zone of WeChat Pay's timestamps (+08:00).
var chinaTime = time.FixedZone("CST", 8*60*60)
