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
