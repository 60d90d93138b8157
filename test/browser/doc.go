// Package browser drives the embedded admin dashboard in real headless Chromium (Debian's
// chromium package, through chromedp) against a real `orderalert serve` process: log in, hear
// and see a new order and a reminder, survive a server kill and restart, miss nothing.
package browser
