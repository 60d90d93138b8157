package hub

import (
	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/domain/alert"
)

// heartbeatFrame is sent every ping interval to sockets that asked for it (?heartbeat=1):
// browsers cannot see WebSocket pings.
var heartbeatFrame = []byte(`{"type":0}`)

// encode is an alert's frame (api/asyncapi.yaml), the same object the REST history holds.
func encode(a alert.Alert) []byte { return wire.Alert(a) }
