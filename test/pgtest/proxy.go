package pgtest

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Proxy is a TCP relay between a service and PostgreSQL that a test can cut, to take the
// database away from the service without touching the shared server: Cut drops every
// connection and refuses new ones, as a stopped server does; Restore accepts them again.
type Proxy struct {
	target string // PostgreSQL's host:port
	addr   string // the proxy's own, kept across Cut and Restore

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// NewProxy starts a proxy in front of the database at databaseURL and returns the URL that goes
// through it; the proxy stops when the test ends.
func NewProxy(t testing.TB, databaseURL string) (string, *Proxy) {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: u.Host, conns: map[net.Conn]struct{}{}}
	if p.ln, err = new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	p.addr = p.ln.Addr().String()
	p.serve(p.ln)
	t.Cleanup(func() {
		p.Cut()
		p.wg.Wait()
	})
	u.Host = p.addr
	return u.String(), p
}

// Cut closes the listener and every relayed connection: clients see their connection end and
// new connections refused.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// Restore listens again on the same address.
func (p *Proxy) Restore(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return
	}
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.ln = ln
	p.serve(ln)
}

func (p *Proxy) serve(ln net.Listener) {
	p.wg.Go(func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return // closed by Cut
			}
			p.wg.Go(func() { p.relay(client) })
		}
	})
}

// relay copies both ways until either side ends or Cut closes them.
func (p *Proxy) relay(client net.Conn) {
	d := net.Dialer{Timeout: 5 * time.Second}
	server, err := d.DialContext(context.Background(), "tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client, server) {
		_, _ = client.Close(), server.Close()
		return
	}
	var both sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src) // an error (a reset, a Cut) ends the relay like an EOF
		_, _ = dst.Close(), src.Close()
	}
	both.Go(func() { pipe(server, client) })
	both.Go(func() { pipe(client, server) })
	both.Wait()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// track registers a relayed pair, unless the proxy was cut meanwhile.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}
