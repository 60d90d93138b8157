package bootstrap

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

// ticketTTL is the life of a WebSocket ticket: long enough to open the socket, too short to be
// worth stealing from a log.
const ticketTTL = time.Minute

// credentials provides tokens and password hashing.
func credentials() fx.Option {
	return fx.Module("auth",
		fx.Provide(
			tokensConfig,
			fx.Annotate(auth.NewTokens, fx.As(new(application.Tokens))),
			fx.Annotate(func() auth.Bcrypt { return auth.Bcrypt{} }, fx.As(new(application.PasswordHasher))),
		),
	)
}

// tokensConfig takes the JWT secrets from the configuration, or in dev mode from the database,
// where the first instance to need them generates them, so that every instance and every restart
// accepts the tokens of the others.
func tokensConfig(cfg Config, secrets *persistence.Secrets) (auth.Config, error) {
	admin, err := secret(secrets, cfg.AdminJWTSecret, "admin_jwt_secret")
	if err != nil {
		return auth.Config{}, err
	}
	user, err := secret(secrets, cfg.UserJWTSecret, "user_jwt_secret")
	if err != nil {
		return auth.Config{}, err
	}
	return auth.Config{
		AdminSecret: admin, UserSecret: user,
		AdminTTL: cfg.AdminTokenTTL, UserTTL: cfg.UserTokenTTL, TicketTTL: ticketTTL,
	}, nil
}

func secret(secrets *persistence.Secrets, configured, name string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stored, err := secrets.Secret(ctx, name, func() (string, error) { return randomText(32) })
	if err != nil {
		return nil, err
	}
	return []byte(stored), nil
}

// randomText is n random bytes in URL-safe base64.
func randomText(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RandomPassword is a generated password: 16 random bytes, URL-safe.
func RandomPassword() (string, error) { return randomText(16) }
