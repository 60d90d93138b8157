// Package browser drives real headless Chromium (Debian's chromium package, through chromedp)
// against a real `orderalert serve` process: the embedded admin dashboard (log in, hear and see
// every kind of alert, survive a server kill and restart, miss nothing), and the client library
// /sdk/orderalert.js imported by a page on another origin, through a proxy the test cuts and
// freezes.
package browser
