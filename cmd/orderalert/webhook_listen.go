package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/bootstrap"
)

// webhookListenCommand is a receiver of the generic webhook's escalations, to try escalation
// without a bot (the README's "Try it") and as the reference of what a receiver checks: the
// signature over the raw body before anything is parsed, and X-Orderalert-Delivery to drop a
// repeat.
func webhookListenCommand() command {
	var addr, secret string
	return command{
		name:    "webhook listen",
		summary: "print the escalations a webhook channel receives: --secret S [--addr 127.0.0.1:9099]; checks each signature",
		wait:    true,
		flags: func(fs *flag.FlagSet) func() error {
			fs.StringVar(&addr, "addr", "127.0.0.1:9099", "where to listen")
			return requiredFlag(fs, &secret, "secret", "the channel's secret, as given to channel add")
		},
		graph: func(_ bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.Standalone(log, func(lc fx.Lifecycle) error {
				ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", addr)
				if err != nil {
					return err
				}
				r := &webhookReceiver{secret: []byte(secret), out: stdout, seen: map[string]bool{}}
				srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
				lc.Append(fx.Hook{
					OnStart: func(context.Context) error {
						fmt.Fprintf(stdout, "listening on http://%s/ for escalations\n", ln.Addr())
						go func() {
							if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
								log.Error("webhook listener stopped", "err", err)
							}
						}()
						return nil
					},
					OnStop: srv.Shutdown,
				})
				return nil
			})
		},
	}
}

type webhookReceiver struct {
	secret []byte
	out    io.Writer

	mu   sync.Mutex
	seen map[string]bool // delivery ids: a retry of one already printed is acknowledged, not printed
}

func (r *webhookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 1<<20))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	mac := hmac.New(sha256.New, r.secret)
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(req.Header.Get("X-Orderalert-Signature")), []byte(want)) {
		fmt.Fprintf(r.out, "refused a request with a wrong signature (is --secret the channel's?)\n")
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var msg struct {
		Reason string `json:"reason"`
		Alerts []struct {
			ID      int64  `json:"id"`
			ShopID  int64  `json:"shopId"`
			Content string `json:"content"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	delivery := req.Header.Get("X-Orderalert-Delivery")
	r.mu.Lock()
	repeat := r.seen[delivery]
	r.seen[delivery] = true
	r.mu.Unlock()
	if !repeat {
		for _, a := range msg.Alerts {
			fmt.Fprintf(r.out, "escalation %s (%s): alert %d of shop %d: %s\n", delivery, msg.Reason, a.ID, a.ShopID, a.Content)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
