package wechatpay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// LoadPublicKey reads the WeChat Pay public key from a PEM file, as the merchant platform lets
// it be downloaded (pub_key.pem, a "PUBLIC KEY" block in PKIX form). An "RSA PUBLIC KEY" block
// (PKCS #1) is accepted too, for keys converted by hand.
func LoadPublicKey(path string) (*rsa.PublicKey, error) {
	data, err := os.ReadFile(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("wechatpay: reading the WeChat Pay public key: %w", err)
	}
	key, err := parsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: the WeChat Pay public key %s: %w", path, err)
	}
	return key, nil
}

func parsePublicKey(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("not a PKIX public key: %w", err)
		}
		rsaKey, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("a %T, not an RSA public key", key)
		}
		return rsaKey, nil
	case "RSA PUBLIC KEY":
		key, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("not a PKCS #1 RSA public key: %w", err)
		}
		return key, nil
	default:
		// A private key or a certificate put in the wrong place: say which, not what it holds.
		return nil, fmt.Errorf("a PEM %q block, want \"PUBLIC KEY\"", block.Type)
	}
}

// LoadPrivateKey reads the merchant's API key (apiclient_key.pem: a PKCS #8 "PRIVATE KEY" PEM
// block, as the merchant platform hands it out). Its errors never contain the key.
func LoadPrivateKey(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("wechatpay: reading the merchant key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("wechatpay: the merchant key %s is not a PKCS #8 \"PRIVATE KEY\" PEM block", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: the merchant key %s is not a PKCS #8 private key", path)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("wechatpay: the merchant key %s is not an RSA key", path)
	}
	return rsaKey, nil
}
