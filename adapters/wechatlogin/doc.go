// Package wechatlogin asks WeChat who a mini-program user is: jscode2session turns the code of
// wx.login into the user's openid for the app. It is one plain HTTP call rather than an SDK's:
// the SDKs on the module proxy cannot point at a test server per client (silenceper/wechat's
// base URL is a process-wide constant), do not escape the code, and put the app secret in their
// error messages; PowerWeChat is not served at all (LIBRARY-NOTES, part two §4).
//
// Without credentials, outside production, Dev stands in: it derives a stable openid from the
// code, so that the demo, the README and tests log customers in through the real endpoint.
package wechatlogin
