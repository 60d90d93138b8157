// Package leak checks that the whole service leaves nothing running once its fx application has
// stopped: no socket handler, actor, feed, listener or database goroutine.
package leak

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/goleak"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
)

// What outlives any fasthttp server or protoactor system by design: fasthttp's process-wide
// date updater and its idle-worker cleaner (gone within 10 s), and protoactor's dead-letter
// throttle (gone within a second).
var ignored = []goleak.Option{
	goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
	goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
	goleak.IgnoreAnyFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"),
}

func TestNothingOutlivesTheApplication(t *testing.T) {
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			u := url(t) // the test's own PostgreSQL admin pool is not the service's
			before := goleak.IgnoreCurrent()
			run(t, u)
			goleak.VerifyNone(t, append(ignored, before)...)
		})
	}
}

func run(t *testing.T, databaseURL string) {
	cfg := bootstrap.DefaultConfig()
	cfg.HTTPAddr, cfg.DatabaseURL, cfg.DataDir = "127.0.0.1:0", databaseURL, t.TempDir()
	cfg.AdminInitialPassword, cfg.AdminTokenTTL, cfg.UserTokenTTL = "leak test password", time.Hour, time.Hour
	cfg.WSPingInterval, cfg.WSQueueLimit, cfg.WSWriteTimeout = 100*time.Millisecond, 64, time.Second
	var (
		server *httpadapter.Server
		tokens application.Tokens
	)
	app := fxtest.New(t, bootstrap.Serve(cfg, slog.New(slog.DiscardHandler)), fx.Populate(&server, &tokens))
	app.RequireStart()
	admin, err := tokens.Issue(application.RoleAdmin, application.Claims{Subject: 1})
	if err != nil {
		t.Fatal(err)
	}
	conn, resp, err := fws.DefaultDialer.Dial("ws://"+server.Addr().String()+"/ws/leak", http.Header{"Token": {admin.Value}})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	go func() {
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	time.Sleep(300 * time.Millisecond) // pings flow
	app.RequireStop()
	_ = conn.Close()
}
