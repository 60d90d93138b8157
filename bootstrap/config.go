package bootstrap

import (
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
// matching flags of a command. The defaults need no setup at all.
type Config struct {
	HTTPAddr         string        `env:"HTTP_ADDR" envDefault:":8080" help:"listen address"`
	DatabaseURL      string        `env:"DATABASE_URL" envDefault:"./data/orderalert.db" help:"postgres://… for PostgreSQL, or a SQLite file path / file: URL"`
	Mode             string        `env:"MODE" envDefault:"dev" help:"dev or production"`
	ReminderCooldown time.Duration `env:"REMINDER_COOLDOWN" envDefault:"60s" help:"minimum time between two reminders of one order"`
	LogFormat        string        `env:"LOG_FORMAT" help:"text or json (default: text in dev, json in production)"`
}

// Modes.
const (
	ModeDev        = "dev"
	ModeProduction = "production"
)

// ErrHelp is returned when the command line asked for help, which has been printed.
var ErrHelp = flag.ErrHelp

// LoadConfig reads the configuration from environ (as os.Environ gives it), overridden by the
// flags in args: every variable ORDERALERT_X_Y has a flag --x-y. Usage goes to usage.
func LoadConfig(command string, args, environ []string, usage io.Writer) (Config, error) {
	vars := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	fields := configFields()
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(usage)
	set := map[string]*string{}
	for _, f := range fields {
		set[f.variable] = flags.String(f.flag, "", f.help+" ("+f.variable+")")
	}
	flags.Usage = func() { printUsage(usage, command, fields) }
	if err := flags.Parse(args); err != nil {
		return Config{}, err
	}
	if flags.NArg() > 0 {
		return Config{}, fmt.Errorf("%s takes no arguments, got %q", command, flags.Args())
	}
	flags.Visit(func(f *flag.Flag) { vars[EnvPrefix+flagToVariable(f.Name)] = f.Value.String() })

	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Prefix: EnvPrefix, Environment: vars}); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", unwrapEnvError(err))
	}
	return cfg, cfg.validate()
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
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %w", joinOnOneLine(problems))
	}
	return nil
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
			def:      tag.Get("envDefault"),
			help:     tag.Get("help"),
		})
	}
	return fields
}

func flagToVariable(flagName string) string {
	return strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func printUsage(w io.Writer, command string, fields []configField) {
	fmt.Fprintf(w, "Usage: orderalert %s [flags]\n\nEvery flag can also be set by its environment variable.\n\n", command)
	for _, f := range fields {
		def := f.def
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(w, "  --%-20s %-30s default %s\n      %s\n", f.flag, f.variable, def, f.help)
	}
}
