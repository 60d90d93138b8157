package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	fws "github.com/fasthttp/websocket"
)

// api is a lean HTTP client of the public API with many idle connections, so that the load
// tool never waits for a connection of its own.
type api struct {
	base   string
	client *http.Client
}

func newAPI(base string) *api {
	t := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	return &api{base: strings.TrimRight(base, "/"), client: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// call sends one request with a token in header and decodes the envelope's data into out.
func (a *api) call(ctx context.Context, method, path, header, token, body string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(header, token)
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Code int             `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Code != 1 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(env.Data, out)
	}
	return nil
}

// sourceAddrs cycles through 127.0.0.1–127.0.0.250 as local addresses, so that ten thousands of
// sockets to one server port never run out of ephemeral ports.
var nextSource atomic.Uint32

func dialer() *fws.Dialer {
	return &fws.Dialer{
		HandshakeTimeout: 30 * time.Second,
		ReadBufferSize:   4096,
		WriteBufferSize:  1024,
		NetDial: func(network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			d := net.Dialer{Timeout: 30 * time.Second}
			if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() && ip.To4() != nil {
				d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+nextSource.Add(1)%250))}
			}
			return d.Dial(network, addr)
		},
	}
}

// wsURL turns the server's base URL into the socket's.
func wsURL(base, sid, ticket string) string {
	return "ws" + strings.TrimPrefix(strings.TrimRight(base, "/"), "http") + "/ws/" + sid + "?ticket=" + ticket
}
