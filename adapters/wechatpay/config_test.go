package wechatpay_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/adapters/wechatpay"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

func TestNewRejectsAnIncompleteConfig(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	valid := wechatpay.Config{APIv3Key: p.APIv3Key, PublicKeyID: p.KeyID, PublicKey: &p.PrivateKey.PublicKey}
	if _, err := wechatpay.New(valid); err != nil {
		t.Fatalf("New(valid config): %v", err)
	}
	tests := map[string]func(c *wechatpay.Config){
		"16-byte APIv3 key": func(c *wechatpay.Config) { c.APIv3Key = c.APIv3Key[:16] },
		"33-byte APIv3 key": func(c *wechatpay.Config) { c.APIv3Key += "x" },
		"no key id":         func(c *wechatpay.Config) { c.PublicKeyID = " " },
		"no public key":     func(c *wechatpay.Config) { c.PublicKey = nil },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := valid
			change(&c)
			_, err := wechatpay.New(c)
			if err == nil {
				t.Fatal("New accepted it")
			}
			if c.APIv3Key != "" && strings.Contains(err.Error(), c.APIv3Key) {
				t.Errorf("error %q contains the APIv3 key", err)
			}
		})
	}
}

func TestLoadPublicKey(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	key, err := wechatpay.LoadPublicKey(p.WritePublicKey(t))
	if err != nil {
		t.Fatalf("LoadPublicKey: %v", err)
	}
	if !key.Equal(&p.PrivateKey.PublicKey) {
		t.Error("LoadPublicKey read another key")
	}

	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&p.PrivateKey.PublicKey)})
	key, err = wechatpay.LoadPublicKey(write(t, pkcs1))
	if err != nil || !key.Equal(&p.PrivateKey.PublicKey) {
		t.Errorf("LoadPublicKey(PKCS #1) = %v, %v", key != nil, err)
	}
}

func TestLoadPublicKeyRejects(t *testing.T) {
	t.Parallel()
	p := wechatpaytest.NewPlatform(t)
	private := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: mustPKCS8(t, p.PrivateKey)})
	tests := map[string][]byte{
		"garbage":           []byte("not a key at all\n"),
		"empty":             {},
		"a private key":     private,
		"a broken PEM body": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("garbage")}),
		"broken PKCS #1":    pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: []byte("garbage")}),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := wechatpay.LoadPublicKey(write(t, data)); err == nil {
				t.Fatal("LoadPublicKey accepted it")
			} else if strings.Contains(err.Error(), "MII") {
				t.Errorf("error %q quotes the file", err)
			}
		})
	}
	t.Run("no file", func(t *testing.T) {
		t.Parallel()
		if _, err := wechatpay.LoadPublicKey(filepath.Join(t.TempDir(), "missing.pem")); err == nil {
			t.Fatal("LoadPublicKey read a missing file")
		}
	})
}

func write(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustPKCS8(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
