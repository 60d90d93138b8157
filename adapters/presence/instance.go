package presence

import (
	"crypto/rand"
	"encoding/hex"
)

// NewInstanceID draws an id for this process: 16 random bytes in hex. It is new on every start,
// because nothing an instance can read is both stable and unique — two instances on one host
// share a hostname, and a container's changes with every deployment. A restarted instance
// therefore cannot find its predecessor's rows; they are ignored once its heartbeat is two ping
// intervals old, and pruned after ten minutes.
func NewInstanceID() string { return hex.EncodeToString(randomBytes(16)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return b
}
