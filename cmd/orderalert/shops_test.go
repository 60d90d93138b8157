package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestShopsKindsAndWorkplaces: shop create and kind create print the new id alone on their last
// line; once a second shop exists, admin create needs --shop or --platform, and refuses a shop
// that does not exist.
func TestShopsKindsAndWorkplaces(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	run := func(stdin string, args ...string) (string, error) {
		cmd, out := orderalert(ctx, dir, nil, args...)
		cmd.Stdin = strings.NewReader(stdin)
		err := cmd.Run()
		return out.String(), err
	}
	lastLine := func(out string) string {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return lines[len(lines)-1]
	}

	if out, err := run("a long password\n", "admin", "create", "--username", "first"); err != nil || lastLine(out) != "1" {
		t.Fatalf("admin create with one shop = %v:\n%s\nwant platform staff with id 1 on the last line", err, out)
	}
	if out, err := run("", "shop", "create", "--name", "二号店"); err != nil || lastLine(out) != "2" {
		t.Fatalf("shop create = %v:\n%s\nwant the new id 2 alone on the last line", err, out)
	}
	if out, err := run("a long password\n", "admin", "create", "--username", "vague"); err == nil || !strings.Contains(out, "--shop N") {
		t.Fatalf("admin create without a workplace, two shops = %v:\n%s\nwant a refusal naming --shop", err, out)
	}
	if out, err := run("a long password\n", "admin", "create", "--username", "lost", "--shop", "9"); err == nil || !strings.Contains(out, "shop not found") {
		t.Fatalf("admin create --shop 9 = %v:\n%s\nwant shop not found", err, out)
	}
	if out, err := run("a long password\n", "admin", "create", "--username", "cashier", "--shop", "2"); err != nil || !strings.Contains(out, "shop 2") || lastLine(out) != "2" {
		t.Fatalf("admin create --shop 2 = %v:\n%s", err, out)
	}
	if out, err := run("a long password\n", "admin", "create", "--username", "boss", "--platform"); err != nil || !strings.Contains(out, "platform staff") {
		t.Fatalf("admin create --platform = %v:\n%s", err, out)
	}
	if out, err := run("", "shop", "list"); err != nil || !strings.Contains(out, "默认门店") || !strings.Contains(out, "二号店") {
		t.Fatalf("shop list = %v:\n%s", err, out)
	}

	kind := []string{"kind", "create", "--code", "10", "--name", "客房服务", "--speech", "客房服务，房间{orderNumber}"}
	if out, err := run("", kind...); err != nil || lastLine(out) != "10" {
		t.Fatalf("kind create = %v:\n%s\nwant the code alone on the last line", err, out)
	}
	if out, err := run("", kind...); err == nil || !strings.Contains(out, "taken") {
		t.Fatalf("kind create of a taken code = %v:\n%s", err, out)
	}
	if out, err := run("", "kind", "create", "--code", "2", "--name", "x", "--speech", "y"); err == nil || !strings.Contains(out, "between 3 and 99") {
		t.Fatalf("kind create --code 2 = %v:\n%s\nwant the built-in codes refused", err, out)
	}
	if out, err := run("", "kind", "list"); err != nil || !strings.Contains(out, "客户催单") || !strings.Contains(out, "客房服务，房间{orderNumber}") {
		t.Fatalf("kind list = %v:\n%s", err, out)
	}
}

// TestIntegrationKeys: create prints the key alone on its last line, once; list never shows it;
// revoke takes the name as an argument; a name is live once at a time.
func TestIntegrationKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	run := func(args ...string) (string, error) {
		cmd, out := orderalert(ctx, dir, nil, args...)
		err := cmd.Run()
		return out.String(), err
	}
	out, err := run("integration", "create", "--name", "sky-take-out", "--shop", "1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	key := lines[len(lines)-1]
	if err != nil || !strings.HasPrefix(key, "oa_live_") || !strings.Contains(out, "shop 1 only") {
		t.Fatalf("integration create = %v:\n%s", err, out)
	}
	if out, err := run("integration", "create", "--name", "sky-take-out"); err == nil || !strings.Contains(out, "taken") {
		t.Fatalf("a second live sky-take-out = %v:\n%s", err, out)
	}
	if out, err := run("integration", "create", "--name", "pms", "--shop", "9"); err == nil || !strings.Contains(out, "shop not found") {
		t.Fatalf("integration create --shop 9 = %v:\n%s", err, out)
	}
	if out, err := run("integration", "list"); err != nil || !strings.Contains(out, "sky-take-out") || strings.Contains(out, key) || strings.Contains(out, "oa_live_") {
		t.Fatalf("integration list = %v:\n%s\nwant the name and never a key", err, out)
	}
	if out, err := run("integration", "revoke", "sky-take-out"); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("integration revoke sky-take-out = %v:\n%s", err, out)
	}
	if out, err := run("integration", "revoke", "--name", "sky-take-out"); err == nil || !strings.Contains(out, "not found") {
		t.Fatalf("revoking twice = %v:\n%s", err, out)
	}
	out, err = run("integration", "list")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; err != nil || !strings.HasPrefix(last, "sky-take-out") || strings.HasSuffix(last, "-") {
		t.Fatalf("integration list after the revocation = %v:\n%s\nwant sky-take-out with its revocation time", err, out)
	}
}
