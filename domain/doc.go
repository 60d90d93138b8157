// Package domain is the heart of orderalert: the order, the alert that rings the shop's dashboard,
// and the rules that decide when an alert is due. Its subpackages import only the standard library,
// so every rule can be read and tested without a database, a web framework or an actor system.
package domain
