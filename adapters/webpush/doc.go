// Package webpush sends the dashboards' Web Push messages (DESIGN §15, §20.10) with
// SherClockHolmes/webpush-go: RFC 8291 aes128gcm payloads signed with the service's VAPID keys
// (RFC 8292), Urgency high, a TTL and the alert as Topic, through a dialer that refuses private
// addresses, so that a subscription cannot point the service at its own network.
package webpush
