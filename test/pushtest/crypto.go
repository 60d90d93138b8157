package pushtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// checkVAPID checks an "Authorization: vapid t=<JWT>, k=<key>" header as a push service does
// and returns the JWT's subject; a refusal is a reason.
func checkVAPID(header, origin, wantKey string) (subject, reason string) {
	params, ok := strings.CutPrefix(header, "vapid ")
	if !ok {
		return "", "no vapid Authorization"
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		fields[k] = v
	}
	raw, err := base64.RawURLEncoding.DecodeString(fields["k"])
	if err != nil {
		return "", "k is not base64url"
	}
	if wantKey != "" && fields["k"] != wantKey {
		return "", "k is not the application server's key"
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return "", "k is not a P-256 public key"
	}
	var claims jwt.RegisteredClaims
	_, err = jwt.ParseWithClaims(fields["t"], &claims, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience(origin), jwt.WithExpirationRequired())
	switch {
	case err != nil:
		return "", "the VAPID JWT: " + err.Error()
	case time.Until(claims.ExpiresAt.Time) > 24*time.Hour:
		return "", "the VAPID JWT expires more than 24 hours ahead"
	case !strings.HasPrefix(claims.Subject, "mailto:") && !strings.HasPrefix(claims.Subject, "https:"):
		return "", "the VAPID subject " + claims.Subject + " is neither mailto: nor https:"
	case strings.HasPrefix(claims.Subject, "mailto:mailto:"):
		return "", "the VAPID subject " + claims.Subject + " has mailto: twice"
	}
	return claims.Subject, ""
}

// decrypt opens an aes128gcm body (RFC 8188, one record) with the browser's key and auth secret,
// as RFC 8291 derives them.
func decrypt(body []byte, ua *ecdh.PrivateKey, auth []byte) ([]byte, error) {
	if len(body) < 21 || len(body) < 21+int(body[20]) {
		return nil, errors.New("shorter than its header")
	}
	salt, idlen := body[:16], int(body[20])
	asPub := body[21 : 21+idlen]
	pk, err := ecdh.P256().NewPublicKey(asPub)
	if err != nil {
		return nil, err
	}
	secret, err := ua.ECDH(pk)
	if err != nil {
		return nil, err
	}
	info := append(append([]byte("WebPush: info\x00"), ua.PublicKey().Bytes()...), asPub...)
	ikm, err := hkdf.Key(sha256.New, secret, auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	blk, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	pt, err := gcm.Open(nil, nonce, body[21+idlen:], nil)
	if err != nil {
		return nil, err
	}
	pt = bytes.TrimRight(pt, "\x00")
	if len(pt) == 0 || pt[len(pt)-1] != 0x02 {
		return nil, errors.New("no last-record delimiter")
	}
	return pt[:len(pt)-1], nil
}
