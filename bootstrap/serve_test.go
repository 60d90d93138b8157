package bootstrap_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
	"github.com/orderalert/orderalert/test/pgtest"
)

func TestGraphIsComplete(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, filepath.Join(t.TempDir(), "validate.db"))
	log := slog.New(slog.DiscardHandler)
	everyUseCase := fx.Invoke(func(application.SubmitOrder, application.ConfirmPayment, application.RemindOrder,
		application.GetOrder, application.ConfirmOrder, application.ListAlerts) {
	})
	if err := fx.ValidateApp(bootstrap.Serve(cfg, log), everyUseCase); err != nil {
		t.Errorf("serve graph: %v", err)
	}
	if err := fx.ValidateApp(bootstrap.Migrate(cfg, log)); err != nil {
		t.Errorf("migrate graph: %v", err)
	}
}

// TestServeOnEveryDatabase starts the whole service on port 0, checks that it answers its
// health endpoints, and drives the use cases the graph wired through to the database.
func TestServeOnEveryDatabase(t *testing.T) {
	t.Parallel()
	for name, url := range map[string]func(t *testing.T) string{
		"SQLite":     func(t *testing.T) string { return filepath.Join(t.TempDir(), "sub", "orderalert.db") },
		"PostgreSQL": func(t *testing.T) string { return pgtest.NewDatabase(t) + "&application_name=orderalert-test" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var (
				server  *httpadapter.Server
				submit  application.SubmitOrder
				confirm application.ConfirmPayment
				alerts  application.ListAlerts
			)
			app := fxtest.New(t, bootstrap.Serve(testConfig(t, url(t)), slog.New(slog.DiscardHandler)),
				fx.Populate(&server, &submit, &confirm, &alerts))
			app.RequireStart()
			defer app.RequireStop()

			base := "http://" + server.Addr().String()
			for _, path := range []string{"/healthz", "/readyz"} {
				if code, body := getJSON(t, base+path); code != http.StatusOK || body["code"] != float64(1) {
					t.Fatalf("GET %s = %d %v", path, code, body)
				}
			}

			o, err := submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1999})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := confirm.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx-1"); err != nil {
				t.Fatal(err)
			}
			got, err := alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Everything()})
			if err != nil || len(got) != 1 || got[0].Content != "订单号:"+o.Number {
				t.Fatalf("alerts after one payment = %+v, %v", got, err)
			}
		})
	}
}

func testConfig(t *testing.T, databaseURL string) bootstrap.Config {
	cfg := bootstrap.DefaultConfig()
	cfg.HTTPAddr, cfg.DatabaseURL, cfg.DataDir = "127.0.0.1:0", databaseURL, t.TempDir()
	cfg.AdminTokenTTL, cfg.UserTokenTTL = time.Hour, time.Hour
	cfg.WSPingInterval, cfg.WSWriteTimeout = time.Second, time.Second
	return cfg
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("GET %s: %v in %q", url, err, raw)
	}
	return resp.StatusCode, body
}

// TestProfilerOnlyWhereConfigured: ORDERALERT_DEBUG_ADDR serves Go's profiler on its own
// listener; the public port never does.
func TestProfilerOnlyWhereConfigured(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	debugAddr := ln.Addr().String()
	_ = ln.Close()
	cfg := testConfig(t, filepath.Join(t.TempDir(), "orderalert.db"))
	cfg.DebugAddr = debugAddr
	var server *httpadapter.Server
	app := fxtest.New(t, bootstrap.Serve(cfg, slog.New(slog.DiscardHandler)), fx.Populate(&server))
	app.RequireStart()
	defer app.RequireStop()
	for url, want := range map[string]int{
		"http://" + debugAddr + "/debug/pprof/":              http.StatusOK,
		"http://" + server.Addr().String() + "/debug/pprof/": http.StatusNotFound,
	} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", url, resp.StatusCode, want)
		}
	}
}
