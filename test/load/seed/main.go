// Command seed is the baseline of the performance figures: sky-take-out's order-alert design
// rebuilt minimally in Go — a map of sessions, and a synchronous loop over every session in the
// payment's own request, under a lock, with no write deadline (WebSocketServer.sendToAllClient).
// It answers the few calls the load tool makes, with the same wire format, and keeps orders in
// memory: what it measures is the fan-out.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	fws "github.com/fasthttp/websocket"
)

type server struct {
	mu       sync.Mutex
	sessions map[string]*fws.Conn
	orders   map[string]int64
	nextID   int64
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	flag.Parse()
	s := &server{sessions: map[string]*fws.Conn{}, orders: map[string]int64{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { ok(w, "ok") })
	mux.HandleFunc("POST /admin/ws/ticket", func(w http.ResponseWriter, _ *http.Request) { ok(w, map[string]any{"ticket": "seed"}) })
	mux.HandleFunc("POST /user/order/submit", s.submit)
	mux.HandleFunc("PUT /user/order/payment", s.pay)
	mux.HandleFunc("GET /ws/{sid}", s.socket)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

func ok(w http.ResponseWriter, data any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"code": 1, "msg": nil, "data": data})
}

func (s *server) submit(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	number := strconv.FormatInt(time.Now().UnixMilli(), 10) + strconv.FormatInt(id, 10)
	s.orders[number] = id
	s.mu.Unlock()
	ok(w, map[string]any{"id": id, "orderNumber": number})
}

// pay is paySuccess + sendToAllClient: encode once, then write to every session in turn,
// inside the request, under the lock.
func (s *server) pay(w http.ResponseWriter, r *http.Request) {
	var body struct{ OrderNumber string }
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.orders[body.OrderNumber]
	msg, _ := json.Marshal(map[string]any{"type": 1, "orderId": id, "content": "订单号:" + body.OrderNumber})
	for _, c := range s.sessions {
		_ = c.WriteMessage(fws.TextMessage, msg)
	}
	ok(w, nil)
}

var upgrader = fws.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *server) socket(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	sid := strings.Clone(r.PathValue("sid"))
	s.mu.Lock()
	s.sessions[sid] = c
	s.mu.Unlock()
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			break
		}
	}
	s.mu.Lock()
	delete(s.sessions, sid)
	s.mu.Unlock()
	_ = c.Close()
}
