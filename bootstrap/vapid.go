package bootstrap

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/adapters/webpush"
)

// devVAPIDSubject is the contact of dev pushes; production names its own (VAPID_SUBJECT).
const devVAPIDSubject = "mailto:dev@orderalert.invalid"

// validatePush checks the VAPID settings: both keys or neither, a pair, and a subject push
// services accept.
func (c *Config) validatePush() []error {
	var problems []error
	if (c.VAPIDPublicKey == "") != (c.VAPIDPrivateKey == "") {
		problems = append(problems, fmt.Errorf("web push needs both %[1]sVAPID_PUBLIC_KEY and %[1]sVAPID_PRIVATE_KEY, or neither", EnvPrefix))
	} else if c.VAPIDPrivateKey != "" && !vapidPair(c.VAPIDPublicKey, c.VAPIDPrivateKey) {
		problems = append(problems, fmt.Errorf("%[1]sVAPID_PUBLIC_KEY is not the public key of %[1]sVAPID_PRIVATE_KEY", EnvPrefix))
	}
	if c.VAPIDSubject != "" && !strings.HasPrefix(c.VAPIDSubject, "mailto:") && !strings.HasPrefix(c.VAPIDSubject, "https://") {
		problems = append(problems, fmt.Errorf("%sVAPID_SUBJECT must be mailto:… or https://…, not %q", EnvPrefix, c.VAPIDSubject))
	}
	return problems
}

// vapidPair reports whether public is the P-256 public key of private, both raw base64url.
func vapidPair(public, private string) bool {
	d, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(private, "="))
	if err != nil {
		return false
	}
	key, err := ecdh.P256().NewPrivateKey(d)
	return err == nil && base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes()) == strings.TrimRight(public, "=")
}

// vapidKeys are the configured keys, or in dev a pair the first instance generated and kept in
// the database, so that every instance signs with the keys the browsers subscribed with.
func vapidKeys(cfg Config, secrets *persistence.Secrets) (webpush.Keys, error) {
	subject := cfg.VAPIDSubject
	if subject == "" {
		subject = devVAPIDSubject
	}
	if cfg.VAPIDPrivateKey != "" {
		return webpush.Keys{Public: strings.TrimRight(cfg.VAPIDPublicKey, "="), Private: strings.TrimRight(cfg.VAPIDPrivateKey, "="), Subject: subject}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// One setting holds both, so that instances racing to generate keep one pair.
	pair, err := secrets.Secret(ctx, "vapid_keys", func() (string, error) {
		public, private, err := webpush.GenerateKeys()
		return public + " " + private, err
	})
	if err != nil {
		return webpush.Keys{}, err
	}
	public, private, ok := strings.Cut(pair, " ")
	if !ok || !vapidPair(public, private) {
		return webpush.Keys{}, fmt.Errorf("the VAPID keys kept in the database are damaged")
	}
	return webpush.Keys{Public: public, Private: private, Subject: subject}, nil
}

// PrintVAPIDKeys is `orderalert vapid`: a new VAPID key pair written as the variables
// ORDERALERT_VAPID_PUBLIC_KEY and _PRIVATE_KEY take it.
func PrintVAPIDKeys(log *slog.Logger, stdout io.Writer) fx.Option {
	return fx.Options(fx.Supply(log), quietFx(), fx.Invoke(func() error {
		public, private, err := webpush.GenerateKeys()
		if err != nil {
			return fmt.Errorf("make a VAPID key pair: %w", err)
		}
		_, err = fmt.Fprintf(stdout, "%[1]sVAPID_PUBLIC_KEY=%[2]s\n%[1]sVAPID_PRIVATE_KEY=%[3]s\n", EnvPrefix, public, private)
		return err
	}))
}
