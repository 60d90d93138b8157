package escalation

import (
	"net/url"
	"strings"
)

// redact shows a channel's URL without its credentials: scheme://host/… . WeCom's key and
// DingTalk's access_token are in the query and Feishu's token is the path's last segment, so
// neither path nor query is shown, whatever the kind.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(an unparsable url)"
	}
	s := u.Scheme + "://" + u.Host
	if u.Path != "" || u.RawQuery != "" || u.Opaque != "" {
		s += "/…"
	}
	return s
}

// scrub removes a channel's credentials from a message that came from elsewhere — the
// transport's errors, a bot's errmsg — in case one quotes them.
func scrub(msg string, ch Channel) string {
	secrets := []string{ch.URL}
	if u, err := url.Parse(ch.URL); err == nil {
		secrets = append(secrets, u.RawQuery, u.Path)
		for _, vs := range u.Query() {
			secrets = append(secrets, vs...)
		}
		secrets = append(secrets, strings.Split(u.Path, "/")...)
	}
	for _, s := range secrets {
		// The bots' keys and tokens are 32 characters or more; shorter parts of a URL
		// ("send", "hook", a "1") are not credentials, and replacing them would garble
		// the message.
		if len(s) >= 16 {
			msg = strings.ReplaceAll(msg, s, "…")
		}
	}
	if len(ch.Secret) >= 4 { // a webhook's secret is the user's choice, perhaps short
		msg = strings.ReplaceAll(msg, ch.Secret, "…")
	}
	return msg
}
