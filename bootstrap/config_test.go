package bootstrap_test

import (
	"errors"
	"io"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
)

func TestConfigDefaultsNeedNoSetup(t *testing.T) {
	t.Parallel()
	cfg, err := bootstrap.LoadConfig("serve", nil, nil, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := bootstrap.Config{
		HTTPAddr: ":8080", DatabaseURL: "./data/orderalert.db", DataDir: "./data", Mode: "dev",
		AdminTokenTTL: 12 * time.Hour, UserTokenTTL: 2 * time.Hour, ReminderCooldown: time.Minute,
		AlertRetention: 72 * time.Hour, PaymentMode: "simulate", LogFormat: "text",
		WSPingInterval: 25 * time.Second, WSQueueLimit: 1024, WSWriteTimeout: 10 * time.Second,
		WSMaxConnections: 20000, WSMaxPerAdmin: 50, LoginRate: bootstrap.Rate{N: 5, Per: time.Minute},
		PublishRate: bootstrap.Rate{N: 50, Per: time.Second}, HTTPReadTimeout: 10 * time.Second, TrustedProxies: bootstrap.CIDRs{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		ReringInterval: 30 * time.Second, EscalateAfter: 2 * time.Minute, NoScreenGrace: 15 * time.Second,
		EscalationRate: bootstrap.Rate{N: 20, Per: time.Minute}, WeChatAPIBase: "https://api.weixin.qq.com",
		WeChatPayAPIBase: "https://api.mch.weixin.qq.com", PaymentTimeout: 15 * time.Minute,
		Timezone: bootstrap.Zone{Location: shanghai(t)},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("defaults = %+v, want %+v", cfg, want)
	}
}

func TestConfigFlagsOverrideVariables(t *testing.T) {
	t.Parallel()
	environ := []string{
		"ORDERALERT_HTTP_ADDR=:9000", "ORDERALERT_MODE=production", "ORDERALERT_REMINDER_COOLDOWN=90s", "UNRELATED=x",
		"ORDERALERT_ADMIN_JWT_SECRET=" + strings.Repeat("a", 32), "ORDERALERT_USER_JWT_SECRET=" + strings.Repeat("u", 32),
		"ORDERALERT_PAYMENT_MODE=wechat", "ORDERALERT_WECHATPAY_APIV3_KEY=k", "ORDERALERT_WECHATPAY_PUBLIC_KEY_ID=id",
		"ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE=/dev/null", "ORDERALERT_ALERT_RETENTION=24h",
		"ORDERALERT_WECHATPAY_MCHID=1900000001", "ORDERALERT_WECHATPAY_APPID=wxapp", "ORDERALERT_WECHATPAY_MCH_PRIVATE_KEY_FILE=/dev/null",
		"ORDERALERT_WECHATPAY_MCH_CERT_SERIAL=ABC", "ORDERALERT_WECHATPAY_NOTIFY_URL=https://shop.example/notify/paySuccess",
	}
	environ = append(environ, vapidSettings...)
	cfg, err := bootstrap.LoadConfig("serve", []string{"--http-addr", "127.0.0.1:0", "--reminder-cooldown=2m"}, environ, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTPAddr != "127.0.0.1:0" || cfg.ReminderCooldown != 2*time.Minute || cfg.Mode != "production" || cfg.LogFormat != "json" || cfg.AlertRetention != 24*time.Hour {
		t.Fatalf("config = %+v", cfg)
	}
}

func TestConfigRejectsBadValuesNamingTheVariable(t *testing.T) {
	t.Parallel()
	// A complete WeChat Pay configuration, so that production cases fail for their own reason.
	wechat := []string{"ORDERALERT_PAYMENT_MODE=wechat", "ORDERALERT_WECHATPAY_APIV3_KEY=k",
		"ORDERALERT_WECHATPAY_PUBLIC_KEY_ID=id", "ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE=/dev/null",
		"ORDERALERT_WECHATPAY_MCHID=1900000001", "ORDERALERT_WECHATPAY_APPID=wxapp", "ORDERALERT_WECHATPAY_MCH_PRIVATE_KEY_FILE=/dev/null",
		"ORDERALERT_WECHATPAY_MCH_CERT_SERIAL=ABC", "ORDERALERT_WECHATPAY_NOTIFY_URL=https://shop.example/notify/paySuccess"}
	cases := map[string]struct {
		args, environ []string
		mention       string
	}{
		"unparseable duration": {environ: []string{"ORDERALERT_REMINDER_COOLDOWN=soon"}, mention: "ORDERALERT_REMINDER_COOLDOWN"},
		"negative duration":    {args: []string{"--reminder-cooldown=-1s"}, mention: "ORDERALERT_REMINDER_COOLDOWN"},
		"zero retention":       {environ: []string{"ORDERALERT_ALERT_RETENTION=0s"}, mention: "ORDERALERT_ALERT_RETENTION"},
		"negative retention":   {args: []string{"--alert-retention=-1h"}, mention: "ORDERALERT_ALERT_RETENTION"},
		"unknown mode":         {environ: []string{"ORDERALERT_MODE=prod"}, mention: "ORDERALERT_MODE"},
		"unknown log format":   {environ: []string{"ORDERALERT_LOG_FORMAT=xml"}, mention: "ORDERALERT_LOG_FORMAT"},
		"stray argument":       {args: []string{"now"}, mention: "no arguments"},
		"short JWT secret":     {environ: []string{"ORDERALERT_ADMIN_JWT_SECRET=short"}, mention: "ORDERALERT_ADMIN_JWT_SECRET"},
		"unknown payment mode": {environ: []string{"ORDERALERT_PAYMENT_MODE=alipay"}, mention: "ORDERALERT_PAYMENT_MODE"},
		"wechat without keys":  {environ: []string{"ORDERALERT_PAYMENT_MODE=wechat"}, mention: "ORDERALERT_WECHATPAY_APIV3_KEY"},
		"half the wechat keys": {environ: []string{"ORDERALERT_WECHATPAY_APIV3_KEY=k"}, mention: "ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE"},
		"production with generated secrets": {
			environ: []string{"ORDERALERT_MODE=production"}, mention: "ORDERALERT_ADMIN_JWT_SECRET",
		},
		"production with simulated payments": {
			environ: []string{"ORDERALERT_MODE=production", "ORDERALERT_ADMIN_JWT_SECRET=" + strings.Repeat("a", 32), "ORDERALERT_USER_JWT_SECRET=" + strings.Repeat("u", 32)},
			mention: "PAYMENT_MODE=simulate",
		},
		"production with one generated secret": {
			environ: append(wechat, "ORDERALERT_MODE=production", "ORDERALERT_ADMIN_JWT_SECRET="+strings.Repeat("a", 32)),
			mention: "not generated secrets",
		},
		"production with short secrets": {
			environ: append(wechat, "ORDERALERT_MODE=production", "ORDERALERT_ADMIN_JWT_SECRET="+strings.Repeat("a", 31), "ORDERALERT_USER_JWT_SECRET="+strings.Repeat("u", 31)),
			mention: "at least 32 bytes",
		},
		"production simulating payments though WeChat Pay is configured": {
			environ: append(wechat, "ORDERALERT_MODE=production", "ORDERALERT_PAYMENT_MODE=simulate",
				"ORDERALERT_ADMIN_JWT_SECRET="+strings.Repeat("a", 32), "ORDERALERT_USER_JWT_SECRET="+strings.Repeat("u", 32)),
			mention: "PAYMENT_MODE=simulate",
		},
		"unknown flag":             {args: []string{"--colour"}, mention: "colour"},
		"login rate without unit":  {environ: []string{"ORDERALERT_LOGIN_RATE=5"}, mention: "ORDERALERT_LOGIN_RATE"},
		"login rate per day":       {args: []string{"--login-rate=5/day"}, mention: "ORDERALERT_LOGIN_RATE"},
		"zero login rate":          {environ: []string{"ORDERALERT_LOGIN_RATE=0/min"}, mention: "ORDERALERT_LOGIN_RATE"},
		"no sockets":               {environ: []string{"ORDERALERT_WS_MAX_CONNECTIONS=0"}, mention: "ORDERALERT_WS_MAX_CONNECTIONS"},
		"negative per admin":       {args: []string{"--ws-max-per-admin=-1"}, mention: "ORDERALERT_WS_MAX_PER_ADMIN"},
		"per admin not a number":   {environ: []string{"ORDERALERT_WS_MAX_PER_ADMIN=lots"}, mention: "ORDERALERT_WS_MAX_PER_ADMIN"},
		"trusted proxy not a CIDR": {environ: []string{"ORDERALERT_TRUSTED_PROXIES=127.0.0.0/8,10.0.0.0/33"}, mention: `ORDERALERT_TRUSTED_PROXIES: "10.0.0.0/33" is not a CIDR`},
		"zero read timeout":        {args: []string{"--http-read-timeout=0s"}, mention: "ORDERALERT_HTTP_READ_TIMEOUT"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := bootstrap.LoadConfig("serve", c.args, c.environ, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), c.mention) {
				t.Fatalf("LoadConfig = %v, want an error mentioning %q", err, c.mention)
			}
		})
	}
}

func TestConfigHelpListsEveryVariable(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_, err := bootstrap.LoadConfig("serve", []string{"--help"}, nil, &out, nil)
	if !errors.Is(err, bootstrap.ErrHelp) {
		t.Fatalf("LoadConfig(--help) = %v, want ErrHelp", err)
	}
	for _, v := range []string{"ORDERALERT_HTTP_ADDR", "ORDERALERT_DATABASE_URL", "ORDERALERT_MODE", "ORDERALERT_REMINDER_COOLDOWN", "ORDERALERT_ALERT_RETENTION", "ORDERALERT_LOG_FORMAT", "--database-url",
		"ORDERALERT_LOGIN_RATE", "5/min", "ORDERALERT_WS_MAX_CONNECTIONS", "20000", "ORDERALERT_WS_MAX_PER_ADMIN", "--ws-max-per-admin"} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("help does not mention %s:\n%s", v, out.String())
		}
	}
}

func TestRateParsesItsThreeUnits(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bootstrap.Rate{
		"5/min": {N: 5, Per: time.Minute}, "10/s": {N: 10, Per: time.Second}, "100/h": {N: 100, Per: time.Hour},
	} {
		var got bootstrap.Rate
		if err := got.UnmarshalText([]byte(text)); err != nil || got != want {
			t.Errorf("%q = %+v, %v; want %+v", text, got, err, want)
		}
		if text != got.String() {
			t.Errorf("%+v prints as %q, want %q", got, got.String(), text)
		}
	}
	for _, bad := range []string{"", "5", "/min", "five/min", "-1/min", "0/s", "5/m", "5/minute", "5/min/s", "1.5/s"} {
		var r bootstrap.Rate
		if err := r.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q parsed as %+v, want an error", bad, r)
		}
	}
}

func TestCIDRsParseNetworksAndAddresses(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"127.0.0.0/8,::1/128":           "127.0.0.0/8,::1/128",
		"10.0.0.0/8, fd00::/8":          "10.0.0.0/8,fd00::/8",
		"192.0.2.7":                     "192.0.2.7/32",
		"2001:db8::1":                   "2001:db8::1/128",
		"10.1.2.3/8":                    "10.0.0.0/8",
		"172.16.0.0/12,,192.168.0.0/16": "172.16.0.0/12,192.168.0.0/16",
	} {
		var got bootstrap.CIDRs
		if err := got.UnmarshalText([]byte(text)); err != nil || got.String() != want {
			t.Errorf("%q = %v, %v; want %s", text, got, err, want)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "10.0.0/8", "::1/129", "fe80::1%eth0", "127.0.0.1-127.0.0.9"} {
		var c bootstrap.CIDRs
		if err := c.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q parsed as %v, want an error", bad, c)
		}
	}
}

// TestConfigNamesOnlyTheWrongVariable: with one bad value, the message names that variable and
// no other, so that nobody goes looking for a mistake in settings that are fine.
func TestConfigNamesOnlyTheWrongVariable(t *testing.T) {
	t.Parallel()
	for _, setting := range []string{
		"ORDERALERT_WS_PING_INTERVAL=0s", "ORDERALERT_WS_WRITE_TIMEOUT=0s", "ORDERALERT_WS_QUEUE_LIMIT=0",
		"ORDERALERT_WS_MAX_CONNECTIONS=0", "ORDERALERT_WS_MAX_PER_ADMIN=0",
		"ORDERALERT_ADMIN_TOKEN_TTL=0s", "ORDERALERT_USER_TOKEN_TTL=-1h",
		"ORDERALERT_ALERT_RETENTION=0s", "ORDERALERT_REMINDER_COOLDOWN=-1s", "ORDERALERT_HTTP_READ_TIMEOUT=0s",
	} {
		t.Run(setting, func(t *testing.T) {
			t.Parallel()
			variable, _, _ := strings.Cut(setting, "=")
			_, err := bootstrap.LoadConfig("serve", nil, []string{setting}, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), variable) || strings.Count(err.Error(), bootstrap.EnvPrefix) != 1 {
				t.Fatalf("LoadConfig(%s) = %v, want an error naming %s and no other variable", setting, err, variable)
			}
		})
	}
}

// TestDataDirHoldsTheDefaultDatabase: the SQLite default lives in DATA_DIR, as its help says,
// unless DATABASE_URL names a database.
func TestDataDirHoldsTheDefaultDatabase(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args, environ []string
		want          string
	}{
		"variable":           {environ: []string{"ORDERALERT_DATA_DIR=/srv/orderalert"}, want: "/srv/orderalert/orderalert.db"},
		"flag":               {args: []string{"--data-dir", "state/"}, want: "state/orderalert.db"},
		"database URL wins":  {environ: []string{"ORDERALERT_DATA_DIR=/srv/orderalert", "ORDERALERT_DATABASE_URL=/var/lib/shop.db"}, want: "/var/lib/shop.db"},
		"database flag wins": {args: []string{"--data-dir=/srv/orderalert", "--database-url=postgres://db/orders"}, want: "postgres://db/orders"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := bootstrap.LoadConfig("serve", c.args, c.environ, io.Discard, nil)
			if err != nil || cfg.DatabaseURL != c.want {
				t.Fatalf("DatabaseURL = %q, %v; want %q", cfg.DatabaseURL, err, c.want)
			}
		})
	}
}

func TestConfigWeChatModeNeedsTheMerchantAndOneAppID(t *testing.T) {
	t.Parallel()
	base := []string{"ORDERALERT_PAYMENT_MODE=wechat", "ORDERALERT_WECHATPAY_APIV3_KEY=k",
		"ORDERALERT_WECHATPAY_PUBLIC_KEY_ID=id", "ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE=/dev/null",
		"ORDERALERT_WECHAT_APPID=wxapp", "ORDERALERT_WECHAT_SECRET=s", "ORDERALERT_WECHATPAY_MCH_PRIVATE_KEY_FILE=/dev/null",
		"ORDERALERT_WECHATPAY_MCH_CERT_SERIAL=ABC", "ORDERALERT_WECHATPAY_NOTIFY_URL=https://shop.example/n"}
	if _, err := bootstrap.LoadConfig("serve", nil, base, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "ORDERALERT_WECHATPAY_MCHID") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("no merchant id = %v, want one line naming ORDERALERT_WECHATPAY_MCHID", err)
	}
	cfg, err := bootstrap.LoadConfig("serve", nil, append(base, "ORDERALERT_WECHATPAY_MCHID=1900000001"), io.Discard, nil)
	if err != nil || cfg.WeChatPayAppID != "wxapp" {
		t.Fatalf("WECHATPAY_APPID unset = %q, %v; want WECHAT_APPID's", cfg.WeChatPayAppID, err)
	}
	_, err = bootstrap.LoadConfig("serve", nil, append(base, "ORDERALERT_WECHATPAY_MCHID=1", "ORDERALERT_WECHATPAY_APPID=wxother"), io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "differs from ORDERALERT_WECHAT_APPID") {
		t.Fatalf("two app ids = %v, want the difference named", err)
	}
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestClientCompatAndTimezoneAreChecked: an unknown compat mode or zone stops start-up, naming
// the variable.
func TestClientCompatAndTimezoneAreChecked(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]string{
		"ORDERALERT_CLIENT_COMPAT=sky":     "ORDERALERT_CLIENT_COMPAT must be sky-take-out or empty",
		"ORDERALERT_TIMEZONE=Mars/Olympus": "is not a time zone",
		"ORDERALERT_TIMEZONE=Local":        "is not a time zone",
	} {
		_, err := bootstrap.LoadConfig("serve", nil, []string{env}, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", env, err, want)
		}
	}
	cfg, err := bootstrap.LoadConfig("serve", nil, []string{"ORDERALERT_CLIENT_COMPAT=sky-take-out", "ORDERALERT_TIMEZONE=Asia/Tokyo"}, io.Discard, nil)
	if err != nil || cfg.ClientCompat != bootstrap.CompatSkyTakeOut || cfg.Timezone.String() != "Asia/Tokyo" {
		t.Fatalf("compat config = %q %v, %v", cfg.ClientCompat, cfg.Timezone, err)
	}
}

// vapidSettings are a genuine VAPID pair (from orderalert vapid) and a subject: what production
// needs for Web Push.
var vapidSettings = []string{
	"ORDERALERT_VAPID_PUBLIC_KEY=BP339P4RpbWgOz40mjU1_uPVckolS-UAKL0TUwWvKMnKIV_APbQyECzuGwXMrwj-lrSad4szMm7CeUl2Ki1yoKg",
	"ORDERALERT_VAPID_PRIVATE_KEY=J6uDUV9zlsN5rtamEhemuihqYqxUFg6z4xRL5FEzU1E",
	"ORDERALERT_VAPID_SUBJECT=mailto:ops@shop.example",
}

// TestVAPIDSettingsAreChecked: production needs a pair and a subject; a public key that is not
// the private key's, one key alone, a subject push services refuse, or private endpoints in
// production stop start-up, naming the variable.
func TestVAPIDSettingsAreChecked(t *testing.T) {
	t.Parallel()
	production := []string{"ORDERALERT_MODE=production", "ORDERALERT_ADMIN_JWT_SECRET=" + strings.Repeat("a", 32), "ORDERALERT_USER_JWT_SECRET=" + strings.Repeat("u", 32),
		"ORDERALERT_PAYMENT_MODE=wechat", "ORDERALERT_WECHATPAY_APIV3_KEY=k", "ORDERALERT_WECHATPAY_PUBLIC_KEY_ID=id",
		"ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE=/dev/null", "ORDERALERT_WECHATPAY_MCHID=1900000001", "ORDERALERT_WECHATPAY_APPID=wxapp",
		"ORDERALERT_WECHATPAY_MCH_PRIVATE_KEY_FILE=/dev/null", "ORDERALERT_WECHATPAY_MCH_CERT_SERIAL=ABC",
		"ORDERALERT_WECHATPAY_NOTIFY_URL=https://shop.example/notify/paySuccess"}
	if _, err := bootstrap.LoadConfig("serve", nil, append(slices.Clone(production), vapidSettings...), io.Discard, nil); err != nil {
		t.Fatalf("production with a VAPID pair: %v", err)
	}
	for name, c := range map[string]struct {
		env  []string
		want string
	}{
		"production without keys":         {production, "production needs ORDERALERT_VAPID_PUBLIC_KEY"},
		"private endpoints in production": {append(append(slices.Clone(production), vapidSettings...), "ORDERALERT_PUSH_ALLOW_PRIVATE=true"), "production refuses ORDERALERT_PUSH_ALLOW_PRIVATE"},
		"one key":                         {[]string{vapidSettings[1]}, "needs both ORDERALERT_VAPID_PUBLIC_KEY and ORDERALERT_VAPID_PRIVATE_KEY"},
		"not a pair":                      {[]string{"ORDERALERT_VAPID_PUBLIC_KEY=BEwpPs_ND3JNM8kRC3NpXaJ4LwiQDTIYLXPVAE10p6_NySyAV6Gi4-CXRYXgBgDihd3dsw9QXo8giYkd2O_-P2w", vapidSettings[1]}, "is not the public key of"},
		"a bare subject":                  {[]string{"ORDERALERT_VAPID_SUBJECT=ops@shop.example"}, "ORDERALERT_VAPID_SUBJECT must be mailto:"},
	} {
		_, err := bootstrap.LoadConfig("serve", nil, c.env, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
