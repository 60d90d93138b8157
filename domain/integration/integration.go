// Package integration is a backend that publishes alerts into orderalert for orders it keeps
// itself (the Java sky-take-out, a hotel PMS, a clinic ERP): its name, the shop its key may
// publish to, and the key, which is shown once and kept only as a hash.
package integration

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Errors of integrations; match them with errors.Is.
var (
	// ErrNotFound: no live integration has this name.
	ErrNotFound = errors.New("integration not found")
	// ErrNameTaken: a live integration has this name.
	ErrNameTaken = errors.New("integration name taken")
	// ErrInvalid: the integration's data breaks a rule.
	ErrInvalid = errors.New("invalid integration")
)

// KeyPrefix starts every key, so that a leaked one is recognisable (secret scanners, logs).
const KeyPrefix = "oa_live_"

// keyBytes of randomness: 256 bits, so that a fast hash of the key is as safe as a slow one.
const keyBytes = 32

var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)
)

// Integration is one publisher. ShopID 0 lets its key publish to any shop.
type Integration struct {
	ID        int64
	Name      string
	ShopID    int64
	KeyHash   string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the key works
}

// New checks the name and draws a key; the key is returned once, the Integration keeps its hash.
func New(name string, shopID int64, now time.Time) (Integration, string, error) {
	if !namePattern.MatchString(name) {
		return Integration{}, "", fmt.Errorf("%w: a name has 1 to 64 letters, digits, '.', '_' or '-', and starts with a letter or digit", ErrInvalid)
	}
	if shopID < 0 {
		return Integration{}, "", fmt.Errorf("%w: shop %d", ErrInvalid, shopID)
	}
	raw := make([]byte, keyBytes)
	if _, err := rand.Read(raw); err != nil {
		return Integration{}, "", fmt.Errorf("draw a key: %w", err)
	}
	key := KeyPrefix + strings.ToLower(keyEncoding.EncodeToString(raw))
	return Integration{Name: name, ShopID: shopID, KeyHash: HashKey(key), CreatedAt: now}, key, nil
}

// HashKey is what is stored of a key and what a presented key is looked up by.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// LooksLikeKey tells a key from anything else without a lookup: a JWT, a typo, an empty header.
func LooksLikeKey(key string) bool {
	return strings.HasPrefix(key, KeyPrefix) && len(key) == len(KeyPrefix)+keyEncoding.EncodedLen(keyBytes)
}

// Live reports whether the key still works.
func (i Integration) Live() bool { return i.RevokedAt.IsZero() }

// MayPublishTo reports whether the key may publish to shop shopID.
func (i Integration) MayPublishTo(shopID int64) bool { return i.ShopID == 0 || i.ShopID == shopID }
