package wechatpay

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"

	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/validators"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"

	"github.com/orderalert/orderalert/application"
)

// apiV3KeySize is the length WeChat Pay requires of an APIv3 key: it is used as an AES-256 key.
const apiV3KeySize = 32

var _ application.PaymentNotifications = (*Notifications)(nil)

// Config is what the merchant platform gives us to receive notifications.
type Config struct {
	// APIv3Key is the 32-byte key set on the merchant platform; it decrypts notifications.
	APIv3Key string
	// PublicKeyID is the id of the WeChat Pay public key, e.g.
	// "PUB_KEY_ID_0114232134912410000000000000". The Wechatpay-Serial header of a notification
	// must equal it.
	PublicKeyID string
	// PublicKey is the WeChat Pay public key that signs notifications (see LoadPublicKey).
	PublicKey *rsa.PublicKey
}

// Notifications opens WeChat Pay payment notifications. It is safe for concurrent use: it holds
// nothing but the verifier and the AES-GCM cipher, neither of which changes after New.
type Notifications struct {
	keyID string
	// validator checks the serial, the timestamp and the signature. Open runs it before the
	// handler so that it can tell a forged notification from an unreadable genuine one.
	validator *validators.WechatPayNotifyValidator
	// handler verifies again and decrypts resource.ciphertext with the APIv3 key.
	handler *notify.Handler
}

// New returns Notifications for cfg. Its errors describe what is wrong with cfg and never
// contain the APIv3 key.
func New(cfg Config) (*Notifications, error) {
	if len(cfg.APIv3Key) != apiV3KeySize {
		return nil, fmt.Errorf("wechatpay: the APIv3 key must be %d bytes, not %d", apiV3KeySize, len(cfg.APIv3Key))
	}
	keyID := strings.TrimSpace(cfg.PublicKeyID)
	if keyID == "" {
		return nil, errors.New("wechatpay: no WeChat Pay public key id")
	}
	if cfg.PublicKey == nil {
		return nil, errors.New("wechatpay: no WeChat Pay public key")
	}
	verifier := verifiers.NewSHA256WithRSAPubkeyVerifier(keyID, *cfg.PublicKey)
	handler, err := notify.NewRSANotifyHandler(cfg.APIv3Key, verifier)
	if err != nil {
		// Only a key of the wrong size fails here, and that was checked above; the SDK's text
		// names the size, not the key, but say it in our words all the same.
		return nil, errors.New("wechatpay: the APIv3 key is not a valid AES-256 key")
	}
	return &Notifications{
		keyID:     keyID,
		validator: validators.NewWechatPayNotifyValidator(verifier),
		handler:   handler,
	}, nil
}
