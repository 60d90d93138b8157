package bootstrap

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// EnvPrefix starts every configuration variable's name.
const EnvPrefix = "ORDERALERT_"

// Config is the service's configuration, read from ORDERALERT_* variables (DESIGN §9) and the
// matching flags of a command. The defaults need no setup at all. helpDefault is what the help
// shows for a default that depends on another setting.
type Config struct {
	HTTPAddr             string        `env:"HTTP_ADDR" envDefault:":8080" help:"listen address"`
	DatabaseURL          string        `env:"DATABASE_URL" helpDefault:"DATA_DIR/orderalert.db" help:"postgres://… for PostgreSQL, or a SQLite file path / file: URL"`
	DataDir              string        `env:"DATA_DIR" envDefault:"./data" help:"folder for local files: the SQLite default and the first admin's password file"`
	Mode                 string        `env:"MODE" envDefault:"dev" help:"dev or production (refuses generated secrets and simulated payments)"`
	AdminJWTSecret       string        `env:"ADMIN_JWT_SECRET" help:"HS256 secret of admin tokens, 32+ bytes (dev: generated once and kept in the database)"`
	UserJWTSecret        string        `env:"USER_JWT_SECRET" help:"HS256 secret of user tokens, 32+ bytes (dev: generated once and kept in the database)"`
	AdminInitialPassword string        `env:"ADMIN_INITIAL_PASSWORD" help:"password of the admin account created when there is none (dev: generated and written to DATA_DIR)"`
	AdminTokenTTL        time.Duration `env:"ADMIN_TOKEN_TTL" envDefault:"12h" help:"lifetime of admin tokens"`
	UserTokenTTL         time.Duration `env:"USER_TOKEN_TTL" envDefault:"2h" help:"lifetime of user tokens"`
	ReminderCooldown     time.Duration `env:"REMINDER_COOLDOWN" envDefault:"60s" help:"minimum time between two reminders of one order"`
	AlertRetention       time.Duration `env:"ALERT_RETENTION" envDefault:"72h" help:"how long alerts are kept for replay; older ones are pruned"`
	PaymentMode          string        `env:"PAYMENT_MODE" envDefault:"simulate" help:"simulate (PUT /user/order/payment confirms at once) or wechat"`
	WeChatPayAPIv3Key    string        `env:"WECHATPAY_APIV3_KEY" help:"WeChat Pay APIv3 key (32 bytes), decrypts notifications"`
	WeChatPayPublicKeyID string        `env:"WECHATPAY_PUBLIC_KEY_ID" help:"WeChat Pay public key id; notifications must carry it as Wechatpay-Serial"`
	WeChatPayPublicKey   string        `env:"WECHATPAY_PUBLIC_KEY_FILE" help:"PEM file of the WeChat Pay public key that signs notifications"`
	WeChatPayMchID       string        `env:"WECHATPAY_MCHID" help:"the merchant id: prepays are made for it, notifications for another are rejected (required in wechat mode)"`
	WeChatPayAppID       string        `env:"WECHATPAY_APPID" helpDefault:"WECHAT_APPID" help:"the app id of prepays; notifications for another app are rejected; must equal WECHAT_APPID"`
	WeChatPayMchKey      string        `env:"WECHATPAY_MCH_PRIVATE_KEY_FILE" help:"PEM file of the merchant's API key (apiclient_key.pem, PKCS #8): signs prepays (wechat mode)"`
	WeChatPayMchSerial   string        `env:"WECHATPAY_MCH_CERT_SERIAL" help:"serial number of the merchant's API certificate (wechat mode)"`
	WeChatPayNotifyURL   string        `env:"WECHATPAY_NOTIFY_URL" help:"public URL of POST /notify/paySuccess that WeChat Pay notifies (wechat mode)"`
	WeChatPayAPIBase     string        `env:"WECHATPAY_API_BASE" envDefault:"https://api.mch.weixin.qq.com" help:"WeChat Pay's API, for tests"`
	PaymentTimeout       time.Duration `env:"ORDER_PAYMENT_TIMEOUT" envDefault:"15m" help:"an order not paid this long after it was placed can no longer be paid (prepay time_expire) and is cancelled"`
	WeChatAppID          string        `env:"WECHAT_APPID" help:"the mini-program's app id, for its login (jscode2session)"`
	WeChatSecret         string        `env:"WECHAT_SECRET" help:"the mini-program's app secret; without both, logins outside production derive a stable test openid from the code"`
	WeChatAPIBase        string        `env:"WECHAT_API_BASE" envDefault:"https://api.weixin.qq.com" help:"WeChat's API, for tests"`
	ClientCompat         string        `env:"CLIENT_COMPAT" help:"sky-take-out: answer the original sky-take-out clients as the Java service does on /user/**, /admin/employee/** and /admin/order/** (business failures as HTTP 200 with code 0, times as yyyy-MM-dd HH:mm:ss, orderDetailList); empty: off"`
	Timezone             Zone          `env:"TIMEZONE" envDefault:"Asia/Shanghai" help:"the zone of times written without one: yyyy-MM-dd HH:mm:ss in requests, and in answers with CLIENT_COMPAT"`
	AllowedOrigins       []string      `env:"ALLOWED_ORIGINS" help:"extra browser origins allowed to open /ws, comma-separated"`
	TrustedProxies       CIDRs         `env:"TRUSTED_PROXIES" envDefault:"127.0.0.0/8,::1/128" help:"proxies whose X-Forwarded-For, -Proto and -Host are believed: comma-separated CIDRs"`
	HTTPReadTimeout      time.Duration `env:"HTTP_READ_TIMEOUT" envDefault:"10s" help:"a connection that has not sent a whole request head this long after it was accepted is closed"`
	WSPingInterval       time.Duration `env:"WS_PING_INTERVAL" envDefault:"25s" help:"server ping period of dashboard sockets"`
	WSQueueLimit         int           `env:"WS_QUEUE_LIMIT" envDefault:"1024" help:"frames queued per socket before it is closed as slow (4008)"`
	WSWriteTimeout       time.Duration `env:"WS_WRITE_TIMEOUT" envDefault:"10s" help:"one frame's write deadline; past it the socket is closed as slow (4008)"`
	WSMaxConnections     int           `env:"WS_MAX_CONNECTIONS" envDefault:"20000" help:"dashboard sockets per instance; past it new upgrades get 503"`
	WSMaxPerAdmin        int           `env:"WS_MAX_PER_ADMIN" envDefault:"50" help:"dashboard sockets per admin account; past it new upgrades get 429"`
	LoginRate            Rate          `env:"LOGIN_RATE" envDefault:"5/min" help:"failed logins per username and per client address before login answers 429: N/s, N/min or N/h"`
	PublishRate          Rate          `env:"PUBLISH_RATE" envDefault:"50/s" help:"alerts one integration key may publish per instance (POST /api/alerts), a shop 4 times that from all its keys; past it 429: N/s, N/min or N/h"`
	EscalateAfter        time.Duration `env:"ESCALATE_AFTER" envDefault:"2m" help:"an alert nobody acknowledged this long after it was created goes to its shop's escalation channels"`
	NoScreenGrace        time.Duration `env:"NO_SCREEN_GRACE" envDefault:"15s" help:"an alert whose shop had no screen that could ring it during this time after its creation is escalated at once"`
	EscalationRate       Rate          `env:"ESCALATION_RATE" envDefault:"20/min" help:"messages per escalation channel (the bots' own limit); alerts past it are merged into one message: N/s, N/min or N/h"`
	VAPIDPublicKey       string        `env:"VAPID_PUBLIC_KEY" help:"the Web Push application server key (VAPID, base64url P-256 point); in dev a pair is generated and kept in the database"`
	VAPIDPrivateKey      string        `env:"VAPID_PRIVATE_KEY" help:"the VAPID private key (base64url P-256 scalar) of VAPID_PUBLIC_KEY (required in production)"`
	VAPIDSubject         string        `env:"VAPID_SUBJECT" help:"who push services may contact about this service's pushes: mailto:ops@your.shop or an https URL (required in production)"`
	PushAllowPrivate     bool          `env:"PUSH_ALLOW_PRIVATE" help:"accept push endpoints on private addresses and plain http (tests' stand-ins); never in production"`
	ReringInterval       time.Duration `env:"RERING_INTERVAL" envDefault:"30s" help:"while an alert of its shops is open, the dashboard chimes and speaks again this often"`
	LogFormat            string        `env:"LOG_FORMAT" help:"text or json (default: text in dev, json in production)"`
	DebugAddr            string        `env:"DEBUG_ADDR" help:"serve Go's profiler (/debug/pprof/) on this separate address; off when empty"`
}

// Payment modes.
const (
	PaymentSimulate = "simulate"
	PaymentWeChat   = "wechat"
)

// CompatSkyTakeOut is ORDERALERT_CLIENT_COMPAT for the original sky-take-out clients.
const CompatSkyTakeOut = "sky-take-out"

// WeChatPayConfigured reports whether notifications can be verified.
func (c Config) WeChatPayConfigured() bool {
	return c.WeChatPayAPIv3Key != "" || c.WeChatPayPublicKeyID != "" || c.WeChatPayPublicKey != ""
}

// Modes.
const (
	ModeDev        = "dev"
	ModeProduction = "production"
)

// ErrHelp is returned when the command line asked for help, which has been printed.
var ErrHelp = flag.ErrHelp

// DefaultConfig is the configuration with no variable and no flag set. A Config built in code
// (tests, tools) starts from it, so that every default is written once, in the env tags above.
func DefaultConfig() Config {
	cfg, err := LoadConfig("orderalert", nil, nil, io.Discard, nil)
	if err != nil {
		panic("the defaults are invalid: " + err.Error()) // TestConfigDefaultsNeedNoSetup
	}
	return cfg
}

// LoadConfig reads the configuration from environ (as os.Environ gives it), overridden by the
// flags in args: every variable ORDERALERT_X_Y has a flag --x-y. When args ask for help (-h,
// --help) it is written to usage and the error is ErrHelp; any other error is not printed.
// extra, when not nil, adds the command's own flags.
func LoadConfig(command string, args, environ []string, usage io.Writer, extra func(*flag.FlagSet)) (Config, error) {
	vars := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	fields := configFields()
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	// The flag package prints a parse error and then the whole help; the caller prints the
	// error once, with a pointer to --help, and the help only when it was asked for.
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	set := map[string]*string{}
	for _, f := range fields {
		set[f.variable] = flags.String(f.flag, "", f.help+" ("+f.variable+")")
	}
	if extra != nil {
		extra(flags)
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(usage, command, fields, flags)
		}
		return Config{}, err
	}
	if flags.NArg() > 0 {
		return Config{}, fmt.Errorf("takes no arguments, got %q", flags.Args())
	}
	flags.Visit(func(f *flag.Flag) { vars[EnvPrefix+flagToVariable(f.Name)] = f.Value.String() })

	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Prefix: EnvPrefix, Environment: vars}); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", unwrapEnvError(err))
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = defaultDatabase(cfg.DataDir)
	}
	if _, set := vars[EnvPrefix+"WECHATPAY_APPID"]; !set {
		cfg.WeChatPayAppID = cfg.WeChatAppID
	}
	return cfg, cfg.validate()
}

// defaultDatabase is the SQLite file in dataDir, written as given ("./data" gives
// "./data/orderalert.db", the documented default), not cleaned by filepath.Join.
func defaultDatabase(dataDir string) string {
	return strings.TrimSuffix(dataDir, "/") + "/orderalert.db"
}

func (c *Config) validate() error {
	var problems []error
	if c.Mode != ModeDev && c.Mode != ModeProduction {
		problems = append(problems, fmt.Errorf("%sMODE must be dev or production, not %q", EnvPrefix, c.Mode))
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if c.Mode == ModeProduction {
			c.LogFormat = "json"
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		problems = append(problems, fmt.Errorf("%sLOG_FORMAT must be text or json, not %q", EnvPrefix, c.LogFormat))
	}
	if c.ReminderCooldown < 0 {
		problems = append(problems, fmt.Errorf("%sREMINDER_COOLDOWN must not be negative, got %s", EnvPrefix, c.ReminderCooldown))
	}
	problems = append(problems, c.validatePositive()...)
	for name, secret := range map[string]string{"ADMIN_JWT_SECRET": c.AdminJWTSecret, "USER_JWT_SECRET": c.UserJWTSecret} {
		if secret != "" && len(secret) < 32 {
			problems = append(problems, fmt.Errorf("%s%s must have at least 32 bytes", EnvPrefix, name))
		}
	}
	problems = append(problems, c.validatePayments()...)
	problems = append(problems, c.validatePush()...)
	if c.ClientCompat != "" && c.ClientCompat != CompatSkyTakeOut {
		problems = append(problems, fmt.Errorf("%sCLIENT_COMPAT must be %s or empty, not %q", EnvPrefix, CompatSkyTakeOut, c.ClientCompat))
	}
	if (c.WeChatAppID == "") != (c.WeChatSecret == "") {
		problems = append(problems, fmt.Errorf("the mini-program login needs both %[1]sWECHAT_APPID and %[1]sWECHAT_SECRET, or neither", EnvPrefix))
	}
	if c.Mode == ModeProduction {
		problems = append(problems, c.validateProduction()...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %w", joinOnOneLine(problems))
	}
	return nil
}

// validatePositive names each setting that must be positive and is not, one error per
// variable: a message that lists its neighbours sends the reader looking at settings that are fine.
func (c *Config) validatePositive() []error {
	var problems []error
	for _, s := range []struct {
		variable string
		value    any
		positive bool
	}{
		{"ALERT_RETENTION", c.AlertRetention, c.AlertRetention > 0},
		{"HTTP_READ_TIMEOUT", c.HTTPReadTimeout, c.HTTPReadTimeout > 0},
		{"WS_PING_INTERVAL", c.WSPingInterval, c.WSPingInterval > 0},
		{"WS_WRITE_TIMEOUT", c.WSWriteTimeout, c.WSWriteTimeout > 0},
		{"WS_QUEUE_LIMIT", c.WSQueueLimit, c.WSQueueLimit > 0},
		{"WS_MAX_CONNECTIONS", c.WSMaxConnections, c.WSMaxConnections > 0},
		{"WS_MAX_PER_ADMIN", c.WSMaxPerAdmin, c.WSMaxPerAdmin > 0},
		{"ADMIN_TOKEN_TTL", c.AdminTokenTTL, c.AdminTokenTTL > 0},
		{"USER_TOKEN_TTL", c.UserTokenTTL, c.UserTokenTTL > 0},
		{"RERING_INTERVAL", c.ReringInterval, c.ReringInterval > 0},
		{"ESCALATE_AFTER", c.EscalateAfter, c.EscalateAfter > 0},
		{"NO_SCREEN_GRACE", c.NoScreenGrace, c.NoScreenGrace > 0},
		{"ORDER_PAYMENT_TIMEOUT", c.PaymentTimeout, c.PaymentTimeout > 0},
	} {
		if !s.positive {
			problems = append(problems, fmt.Errorf("%s%s must be positive, got %v", EnvPrefix, s.variable, s.value))
		}
	}
	return problems
}

func (c *Config) validatePayments() []error {
	var problems []error
	if c.PaymentMode != PaymentSimulate && c.PaymentMode != PaymentWeChat {
		problems = append(problems, fmt.Errorf("%sPAYMENT_MODE must be simulate or wechat, not %q", EnvPrefix, c.PaymentMode))
	}
	complete := c.WeChatPayAPIv3Key != "" && c.WeChatPayPublicKeyID != "" && c.WeChatPayPublicKey != ""
	if (c.PaymentMode == PaymentWeChat || c.WeChatPayConfigured()) && !complete {
		problems = append(problems, fmt.Errorf("WeChat Pay needs all of %[1]sWECHATPAY_APIV3_KEY, %[1]sWECHATPAY_PUBLIC_KEY_ID and %[1]sWECHATPAY_PUBLIC_KEY_FILE", EnvPrefix))
	}
	if c.PaymentMode == PaymentWeChat {
		problems = append(problems, c.validatePrepay()...)
	}
	return problems
}

// validatePrepay checks what the prepay of wechat mode needs: the payer's openid is the
// mini-program's, so WeChat Pay refuses a prepay for any other app id.
func (c *Config) validatePrepay() []error {
	var missing []string
	for _, s := range []struct{ variable, value string }{
		{"WECHATPAY_MCHID", c.WeChatPayMchID}, {"WECHATPAY_APPID", c.WeChatPayAppID},
		{"WECHATPAY_MCH_PRIVATE_KEY_FILE", c.WeChatPayMchKey}, {"WECHATPAY_MCH_CERT_SERIAL", c.WeChatPayMchSerial},
		{"WECHATPAY_NOTIFY_URL", c.WeChatPayNotifyURL},
	} {
		if s.value == "" {
			missing = append(missing, EnvPrefix+s.variable)
		}
	}
	var problems []error
	if len(missing) > 0 {
		problems = append(problems, fmt.Errorf("%sPAYMENT_MODE=wechat needs %s", EnvPrefix, strings.Join(missing, ", ")))
	}
	if c.WeChatAppID != "" && c.WeChatPayAppID != c.WeChatAppID {
		problems = append(problems, fmt.Errorf("%[1]sWECHATPAY_APPID (%[2]s) differs from %[1]sWECHAT_APPID (%[3]s): WeChat Pay takes only the openids of the app it pays for", EnvPrefix, c.WeChatPayAppID, c.WeChatAppID))
	}
	return problems
}

// validateProduction refuses what is fine on a laptop and dangerous in a shop.
func (c *Config) validateProduction() []error {
	var problems []error
	if c.AdminJWTSecret == "" || c.UserJWTSecret == "" {
		problems = append(problems, fmt.Errorf("production needs %[1]sADMIN_JWT_SECRET and %[1]sUSER_JWT_SECRET, not generated secrets", EnvPrefix))
	}
	if c.PaymentMode == PaymentSimulate {
		problems = append(problems, fmt.Errorf("production refuses %sPAYMENT_MODE=simulate: anyone could mark an order paid", EnvPrefix))
	}
	if c.VAPIDPrivateKey == "" || c.VAPIDSubject == "" {
		problems = append(problems, fmt.Errorf("production needs %[1]sVAPID_PUBLIC_KEY, %[1]sVAPID_PRIVATE_KEY and %[1]sVAPID_SUBJECT for Web Push (make a pair with: orderalert vapid)", EnvPrefix))
	}
	if c.PushAllowPrivate {
		problems = append(problems, fmt.Errorf("production refuses %sPUSH_ALLOW_PRIVATE: a subscription could make the service call its own network", EnvPrefix))
	}
	return problems
}

// unwrapEnvError names the variable in each of env's errors, which name the Go field.
func unwrapEnvError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	errs := make([]error, len(agg.Errors))
	for i, e := range agg.Errors {
		errs[i] = e
		var parseErr env.ParseError
		if errors.As(e, &parseErr) {
			if f, ok := reflect.TypeFor[Config]().FieldByName(parseErr.Name); ok {
				errs[i] = fmt.Errorf("%s%s: %w", EnvPrefix, f.Tag.Get("env"), parseErr.Err)
			}
		}
	}
	return joinOnOneLine(errs)
}

// joinOnOneLine keeps a configuration error to one log line however many problems it lists.
func joinOnOneLine(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

type configField struct{ variable, flag, def, help string }

func configFields() []configField {
	var fields []configField
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		tag := t.Field(i).Tag
		name := tag.Get("env")
		fields = append(fields, configField{
			variable: EnvPrefix + name,
			flag:     strings.ToLower(strings.ReplaceAll(name, "_", "-")),
			def:      cmp.Or(tag.Get("envDefault"), tag.Get("helpDefault")),
			help:     tag.Get("help"),
		})
	}
	return fields
}

func flagToVariable(flagName string) string {
	return strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func printUsage(w io.Writer, command string, fields []configField, flags *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: orderalert %s [flags]\n\n", command)
	own := map[string]bool{}
	for _, f := range fields {
		own[f.flag] = true
	}
	flags.VisitAll(func(f *flag.Flag) {
		if !own[f.Name] {
			fmt.Fprintf(w, "  --%-20s %s\n", f.Name, f.Usage)
		}
	})
	fmt.Fprintf(w, "\nConfiguration; every flag can also be set by its environment variable:\n\n")
	for _, f := range fields {
		def := f.def
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(w, "  --%-20s %-30s default %s\n      %s\n", f.flag, f.variable, def, f.help)
	}
}
