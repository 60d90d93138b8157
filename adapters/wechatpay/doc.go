// Package wechatpay opens WeChat Pay API v3 payment notifications: the POST WeChat Pay sends to
// our notify_url when an order has been paid (TRANSACTION.SUCCESS). It also creates JSAPI
// prepays (Prepayer, prepay.go): the request is signed with the merchant key, WeChat Pay's answer
// is verified with its public key before it is believed, and every failure becomes one of the
// application's prepay errors (prepay_errors.go).
//
// Anyone can POST to that URL, so nothing in a notification is believed until the official SDK
// (github.com/wechatpay-apiv3/wechatpay-go), in its WeChat Pay public key mode, has verified it
// exactly as received:
//
//   - Wechatpay-Serial must equal the id of the WeChat Pay public key we are configured with, so a
//     notification that names any other key is refused instead of being checked against ours.
//   - Wechatpay-Signature must be WeChat Pay's SHA256-with-RSA signature of
//     "timestamp\nnonce\nbody\n": neither the body nor those two headers can be altered.
//   - Wechatpay-Timestamp must be within five minutes of now, so a notification captured once
//     cannot be replayed for ever (inside the window the use case's idempotence copes with it).
//
// Only then is resource.ciphertext decrypted, with AES-256-GCM under the merchant's APIv3 key:
// the transaction stays secret on its way, and since only WeChat Pay and we know the key, a
// ciphertext that opens was written by WeChat Pay.
//
// A notification that fails verification gives an error wrapping application.ErrUnauthenticated;
// a verified one that cannot be decrypted or lacks out_trade_no or amount.total gives one wrapping
// application.ErrInvalidInput. The errors are written here, never copied from the SDK (whose
// messages print the whole request), and never carry the signature, the body, the ciphertext or
// the key: they end up in logs.
package wechatpay
