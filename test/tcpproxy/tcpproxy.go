// Package tcpproxy is a TCP proxy for tests that break a service's connections on purpose, as a
// failing network or database would: Cut closes every connection and refuses new ones at once;
// Freeze keeps them open but forwards nothing (a partition: no error, just silence) until
// Restore. It serves on 127.0.0.1 only and stops with the test.
package tcpproxy

import (
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy forwards connections on Addr to a target address.
type Proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	cond   *sync.Cond // broadcast when the state changes
	state  state
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

type state int

const (
	open state = iota
	cut
	frozen
)

// Start proxies a free port of 127.0.0.1 to target until the test ends.
func Start(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.cond = sync.NewCond(&p.mu)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every proxied connection and, until Restore, closes new ones at once.
func (p *Proxy) Cut() {
	p.set(cut)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}

// Freeze stops forwarding in both directions, without closing anything, until Restore; new
// connections are accepted and wait.
func (p *Proxy) Freeze() { p.set(frozen) }

// Restore forwards again; what a frozen connection held is delivered.
func (p *Proxy) Restore() { p.set(open) }

func (p *Proxy) set(s state) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
	p.cond.Broadcast()
}

// wait blocks while the proxy is frozen; it reports whether the connection may go on.
func (p *Proxy) wait() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.state == frozen && !p.closed {
		p.cond.Wait()
	}
	return p.state == open && !p.closed
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.state == cut {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer func() { _ = client.Close() }()
	if !p.track(client) || !p.wait() {
		return
	}
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		return
	}
	defer func() { _ = server.Close() }()
	if !p.track(server) {
		return
	}
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done
	_ = client.Close()
	_ = server.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// pipe copies from src to dst, holding each chunk while the proxy is frozen.
func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF or a closed connection: serve closes both sides
		}
	}
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	_ = p.ln.Close()
	p.wg.Wait()
}
