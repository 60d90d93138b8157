package hub

import (
	"encoding/json"
	"testing"
)

func TestTheHeartbeatFrameIsJSON(t *testing.T) {
	t.Parallel()
	if !json.Valid(heartbeatFrame) {
		t.Fatal("the heartbeat frame is not JSON")
	}
}
