package escalation

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
)

// webhookSignature is X-Orderalert-Signature: the HMAC covers the raw body only, as the
// webhook is specified, so a receiver checks it over the bytes it read before parsing them.
// The timestamp header is therefore not authenticated; a receiver drops repeats by
// X-Orderalert-Delivery instead.
func webhookSignature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// dingTalkSign signs timestamp (milliseconds) + "\n" + secret with the secret as the key. The
// result goes into url.Values unescaped: Encode escapes it once, and escaping it here too
// would send %252B where DingTalk expects %2B.
func dingTalkSign(secret, timestamp string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// feishuSign is the reverse of DingTalk's, and the usual mistake: timestamp (seconds) + "\n"
// + secret is the key, and the message is empty.
func feishuSign(secret, timestamp string) string {
	m := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// feishuSigned returns a copy of the stored body with "timestamp" and "sign" as its first
// members. The stored bytes are kept as they are after them, so the message itself is the
// one every attempt sends.
func feishuSigned(body []byte, secret string, unixSeconds int64) ([]byte, error) {
	b := bytes.TrimSpace(body)
	if len(b) < 2 || b[0] != '{' || !json.Valid(b) {
		return nil, errors.New("the stored body is not a JSON object")
	}
	ts := strconv.FormatInt(unixSeconds, 10)
	head, err := json.Marshal(struct {
		Timestamp string `json:"timestamp"`
		Sign      string `json:"sign"`
	}{ts, feishuSign(secret, ts)})
	if err != nil {
		return nil, err
	}
	rest := bytes.TrimSpace(b[1:])
	out := make([]byte, 0, len(head)+len(rest))
	out = append(out, head[:len(head)-1]...) // without its '}'
	if rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...), nil
}
