package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestChannels: channel add checks the channel and its shop and prints the id alone on its last
// line; list shows no key, token or secret; remove takes the id as its argument.
func TestChannels(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	run := func(args ...string) (string, error) {
		cmd, out := orderalert(ctx, dir, nil, args...)
		err := cmd.Run()
		return out.String(), err
	}
	const key = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
	wecom := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--shop", "1", "--kind", "slack", "--url", "https://x.example/h"}, "unknown kind"},
		{[]string{"--shop", "1", "--kind", "webhook", "--url", "https://erp.example/h"}, "needs its secret"},
		{[]string{"--shop", "1", "--kind", "wecom", "--url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "carries its key"},
		{[]string{"--shop", "7", "--kind", "wecom", "--url", wecom}, "shop not found"},
		{[]string{"--kind", "wecom", "--url", wecom}, "--shop is required"},
	} {
		if out, err := run(append([]string{"channel", "add"}, c.args...)...); err == nil || !strings.Contains(out, c.says) {
			t.Errorf("channel add %v = %v:\n%s\nwant a refusal saying %q", c.args, err, out, c.says)
		}
	}
	out, err := run("channel", "add", "--shop", "1", "--kind", "wecom", "--url", wecom)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); err != nil || lines[len(lines)-1] != "1" {
		t.Fatalf("channel add = %v:\n%s\nwant id 1 alone on the last line", err, out)
	}
	if out, err := run("channel", "add", "--shop", "1", "--kind", "webhook", "--url", "https://erp.example/hook", "--secret", "hook-secret-123"); err != nil {
		t.Fatalf("channel add webhook = %v:\n%s", err, out)
	}
	out, err = run("channel", "list")
	if err != nil || !strings.Contains(out, "https://qyapi.weixin.qq.com/…") || !strings.Contains(out, "https://erp.example/…") || !strings.Contains(out, "set") {
		t.Fatalf("channel list = %v:\n%s", err, out)
	}
	if strings.Contains(out, key) || strings.Contains(out, "hook-secret-123") {
		t.Fatalf("channel list shows a credential:\n%s", out)
	}
	if out, err := run("channel", "remove", "1"); err != nil || !strings.Contains(out, "removed wecom channel 1") {
		t.Fatalf("channel remove 1 = %v:\n%s", err, out)
	}
	if out, err := run("channel", "remove", "1"); err == nil || !strings.Contains(out, "not found") {
		t.Fatalf("channel remove 1 again = %v:\n%s", err, out)
	}
}
