// Package escalation turns one escalation delivery into one HTTP request to a shop's channel —
// a generic webhook, a WeCom group bot, a DingTalk bot or a Feishu bot — and classifies the
// answer. The schedule (which alerts are due, claims, the per-channel rate, merging) is not
// here: it stores the body that Body builds with the delivery and calls Sender.Send for each
// attempt.
//
// A delivery's body is built once and frozen, so that a retry resends exactly what the first
// attempt sent and a receiver that drops repeats by X-Orderalert-Delivery loses nothing. What
// must change per attempt is added at send time and never stored: the webhook's timestamp
// header, DingTalk's timestamp and sign in the query, Feishu's timestamp and sign in the body
// (both bots refuse a timestamp more than an hour old, and a retry may come later than that).
//
// The bots answer HTTP 200 when they refuse a message, with errcode (WeCom, DingTalk) or code
// (Feishu) in the body, so a bot's message is sent only when that code is 0. Their rate-limit
// codes mean "retry after the window"; their other codes are permanent. The schemes follow the
// services' pages (work.weixin.qq.com/api/doc/90000/90136/91770,
// open.dingtalk.com/document/group/custom-robot-access,
// open.feishu.cn/document/client-docs/bot-v3/add-custom-bot) and their Python samples; no
// official page confirms the rate-limit codes (see answer.go).
//
// The bots' credentials are in their URLs (WeCom's key and DingTalk's access_token in the
// query, Feishu's token in the path), so no error of this package carries a channel's URL or
// secret: a URL is shown as scheme://host/… (redact), and anything an answer or the transport
// says is scrubbed of them.
//
// The human text is Chinese and short: a title that names the reason and the shop (DingTalk's
// "keyword" security setting can use 提醒, which every title contains), one line per alert, and
// what to do. It is at most 2048 bytes — WeCom's limit, the smallest of the three — cut on a
// rune boundary.
package escalation
