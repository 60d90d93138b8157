// Package pushtest is a local stand-in of a Web Push service (RFC 8030) for tests: it checks
// what real push services check — the VAPID JWT (RFC 8292: ES256, the endpoint's origin as
// audience, an expiry within 24 hours, a mailto: or https: subject, the key it was signed with)
// — and decrypts each message (RFC 8291, aes128gcm) with the private key of the test's
// subscription, as the browser would. Its subscriptions are test "browsers": an endpoint of the
// stand-in with a P-256 key pair and an auth secret.
package pushtest
