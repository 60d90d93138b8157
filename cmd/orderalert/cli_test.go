package main

import (
	"bytes"
	"strings"
	"testing"
)

// invoke runs the command line in-process, as main does, with no variables set.
func invoke(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, nil, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestHelpIsAnAnswerNotAnError: asking for help succeeds and prints it where a pager or grep
// reads it, on standard output.
func TestHelpIsAnAnswerNotAnError(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args []string
		says string
	}{
		"--help":         {[]string{"--help"}, "Commands:"},
		"-h":             {[]string{"-h"}, "Commands:"},
		"help":           {[]string{"help"}, "Commands:"},
		"serve --help":   {[]string{"serve", "--help"}, "ORDERALERT_HTTP_ADDR"},
		"token -h":       {[]string{"token", "-h"}, "--user"},
		"admin create":   {[]string{"admin", "create", "--help"}, "--username"},
		"demo --help":    {[]string{"demo", "--help"}, "--server"},
		"shop create":    {[]string{"shop", "create", "--help"}, "--name"},
		"kind create":    {[]string{"kind", "create", "--help"}, "--speech"},
		"migrate --help": {[]string{"migrate", "--help"}, "ORDERALERT_DATABASE_URL"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := invoke(c.args...)
			if code != 0 || !strings.Contains(stdout, c.says) || stderr != "" {
				t.Fatalf("orderalert %s = exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 0 and help saying %q on stdout only",
					strings.Join(c.args, " "), code, stdout, stderr, c.says)
			}
		})
	}
}

// TestBadCommandLineSaysWhatIsWrongOnce: a mistyped flag or command gets the error once and a
// pointer to the help, not the whole help wedged between two copies of the error.
func TestBadCommandLineSaysWhatIsWrongOnce(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args        []string
		error, hint string
	}{
		"unknown flag":    {[]string{"serve", "--colour"}, "flag provided but not defined: -colour", "orderalert serve --help"},
		"flag of another": {[]string{"token", "--username", "bob"}, "flag provided but not defined: -username", "orderalert token --help"},
		"bad flag value":  {[]string{"demo", "--user", "seven"}, `invalid value "seven" for flag -user`, "orderalert demo --help"},
		"unknown command": {[]string{"serv"}, `unknown command "serv"`, "orderalert --help"},
		"stray argument":  {[]string{"migrate", "now"}, "takes no arguments", "orderalert migrate --help"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := invoke(c.args...)
			lines := nonEmptyLines(stderr)
			switch {
			case code != 2:
				t.Errorf("exit %d, want 2", code)
			case stdout != "":
				t.Errorf("printed on stdout:\n%s", stdout)
			case strings.Count(stderr, c.error) != 1:
				t.Errorf("stderr says %q %d times, want once:\n%s", c.error, strings.Count(stderr, c.error), stderr)
			case len(lines) != 2 || !strings.Contains(lines[1], c.hint):
				t.Errorf("stderr is not the error and a one-line hint naming %q:\n%s", c.hint, stderr)
			}
		})
	}
}

// TestNoCommandListsTheCommands: `orderalert` alone is a question too, but not a successful
// run: the list of commands, on standard error, and exit 2.
func TestNoCommandListsTheCommands(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := invoke()
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Commands:") || !strings.Contains(stderr, "serve") {
		t.Fatalf("orderalert = exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 2 and the commands on stderr", code, stdout, stderr)
	}
}
