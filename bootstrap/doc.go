// Package bootstrap wires orderalert together: it reads the configuration (ORDERALERT_*
// variables and matching flags) and composes the adapters' fx modules with the use cases. It is
// the only package that knows every concrete type; cmd/orderalert only chooses a command.
package bootstrap
