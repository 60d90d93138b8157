package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// manifest is what the dashboard's web app manifest says of it.
type manifest struct {
	Name, Lang, Display, Scope string
	ShortName                  string `json:"short_name"`
	StartURL                   string `json:"start_url"`
	ThemeColor                 string `json:"theme_color"`
	BackgroundColor            string `json:"background_color"`
	Icons                      []struct{ Src, Sizes, Type, Purpose string }
}

// TestDashboardIsInstallable: a shop can install the dashboard as an app (its own window and
// icon on the desktop or the home screen, where phones allow push only to installed apps): the
// page links a manifest Chromium parses without an error and finds nothing missing for an
// install; each icon it lists is a PNG of the size it claims.
func TestDashboardIsInstallable(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	base := srv.Base()

	raw, header := get(t, base+"/manifest.webmanifest")
	if ct := header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Errorf("the manifest's Content-Type is %q, want application/manifest+json", ct)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("the manifest: %v\n%s", err, raw)
	}
	if m.Name != "来单提醒 · orderalert" || m.ShortName == "" || m.StartURL != "/" || m.Scope != "/" || m.Display != "standalone" || m.Lang != "zh-CN" {
		t.Errorf("the manifest says %+v", m)
	}
	if m.ThemeColor != "#ffffff" || m.BackgroundColor != "#f6f8fa" {
		t.Errorf("theme %s and background %s, want the header's #ffffff and the page's #f6f8fa", m.ThemeColor, m.BackgroundColor)
	}
	sizes := map[string]bool{}
	for _, icon := range m.Icons {
		src, err := url.JoinPath(base, icon.Src)
		if err != nil {
			t.Fatal(err)
		}
		body, h := get(t, src)
		cfg, err := png.DecodeConfig(strings.NewReader(string(body)))
		if err != nil || h.Get("Content-Type") != "image/png" || icon.Type != "image/png" {
			t.Errorf("icon %s (%s, %s): %v", icon.Src, icon.Type, h.Get("Content-Type"), err)
			continue
		}
		if got := fmt.Sprintf("%dx%d", cfg.Width, cfg.Height); got != icon.Sizes {
			t.Errorf("icon %s is %s, the manifest says %s", icon.Src, got, icon.Sizes)
		}
		purposes := icon.Purpose
		if purposes == "" {
			purposes = "any" // the manifest's default
		}
		for purpose := range strings.FieldsSeq(purposes) {
			sizes[purpose+" "+icon.Sizes] = true
		}
	}
	for _, want := range []string{"any 192x192", "any 512x512", "maskable 512x512"} {
		if !sizes[want] {
			t.Errorf("no %s icon among %+v", want, m.Icons)
		}
	}

	within(t, ctx, 15*time.Second, "open the dashboard", chromedp.Navigate(base), chromedp.WaitVisible("#login-form"),
		until(`navigator.serviceWorker.controller !== null`))
	var parsed page.GetAppManifestResult
	var installability page.GetInstallabilityErrorsResult
	within(t, ctx, 15*time.Second, "Chromium reads the manifest", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
		if parsed, err = cdp.Call(ctx, tg, page.GetAppManifest, page.GetAppManifestParams{}); err != nil {
			return err
		}
		installability, err = cdp.Call(ctx, tg, page.GetInstallabilityErrors, cdp.Empty{})
		return err
	}))
	if parsed.URL != base+"/manifest.webmanifest" || len(parsed.Errors) != 0 {
		t.Errorf("Chromium read the manifest at %q with errors %+v", parsed.URL, parsed.Errors)
	}
	for _, e := range installability.InstallabilityErrors {
		t.Errorf("not installable: %s %+v", e.ErrorID, e.ErrorArguments)
	}
}

// TestServiceWorkerIsServedToBeUpdated: the worker is JavaScript, revalidated on every check
// (a new release takes over at once), and the dashboard's policy allows it and the manifest and
// still nothing from elsewhere.
func TestServiceWorkerIsServedToBeUpdated(t *testing.T) {
	srv := newServer(t)
	srv.Start()
	_, h := get(t, srv.Base()+"/sw.js")
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("sw.js Content-Type %q, want text/javascript", ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("sw.js Cache-Control %q, want no-cache", cc)
	}
	_, h = get(t, srv.Base()+"/")
	policy := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "worker-src 'self'", "manifest-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(policy, want+";") && !strings.HasSuffix(policy, want) {
			t.Errorf("the dashboard's policy %q lacks %q", policy, want)
		}
	}
}

// TestNotificationClickBringsTheDashboardForward: a click on a notification focuses a dashboard
// already open — the one in view first — rather than opening another; a tab of the same origin
// showing something else is no dashboard. CDP cannot click a notification, so the test calls
// the worker's choice (notification.js, which sw.js imports) in the page.
func TestNotificationClickBringsTheDashboardForward(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	base := srv.Base()
	within(t, ctx, 15*time.Second, "load the worker's helpers into the page",
		chromedp.Navigate(base), chromedp.WaitVisible("#login-form"),
		until(`(() => { if (!document.getElementById("helpers")) {
			const s = document.createElement("script"); s.id = "helpers"; s.src = "/notification.js"; document.head.append(s); }
			return typeof self.orderalertNotification === "object"; })()`))
	pick := func(windows string) string {
		t.Helper()
		return evaluate[string](t, ctx, fmt.Sprintf(`(() => { const w = self.orderalertNotification.windowToFocus(%s, %q); return w ? w.name : "open"; })()`, windows, base))
	}
	cases := []struct{ name, windows, want string }{
		{"none open", `[]`, "open"},
		{"only other pages", fmt.Sprintf(`[{name: "api", url: "%[1]s/admin/alerts", focused: false, visibilityState: "visible"}, {name: "sdk", url: "%[1]s/sdk/orderalert.js", focused: true, visibilityState: "visible"}]`, base), "open"},
		{"a hidden dashboard", fmt.Sprintf(`[{name: "api", url: "%[1]s/admin/alerts", focused: true, visibilityState: "visible"}, {name: "tab", url: "%[1]s/", focused: false, visibilityState: "hidden"}]`, base), "tab"},
		{"the one in view", fmt.Sprintf(`[{name: "hidden", url: "%[1]s/", focused: false, visibilityState: "hidden"}, {name: "seen", url: "%[1]s/#x", focused: false, visibilityState: "visible"}]`, base), "seen"},
		{"the focused one", fmt.Sprintf(`[{name: "seen", url: "%[1]s/", focused: false, visibilityState: "visible"}, {name: "app", url: "%[1]s/index.html", focused: true, visibilityState: "visible"}]`, base), "app"},
	}
	for _, c := range cases {
		if got := pick(c.windows); got != c.want {
			t.Errorf("%s: the click goes to %q, want %q", c.name, got, c.want)
		}
	}
}

// get fetches url and fails the test unless it answers 200.
func get(t *testing.T, url string) ([]byte, http.Header) {
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
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, %v", url, resp.StatusCode, err)
	}
	return body, resp.Header
}
