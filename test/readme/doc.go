// Package readme runs the README's commands as a newcomer would, in order, against a real
// `orderalert serve` process: the demo of "Try it", then the "Try it with curl" section as
// written, checking every answer against the one the README shows.
package readme
