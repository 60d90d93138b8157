package hub

import (
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// Observer is told what the hub does, for metrics; the hub knows nothing of how it is counted.
// Its methods are called from the actors, Delivered once per frame: they must be cheap, must
// not block and must be safe for concurrent use.
type Observer interface {
	// Delivered: one live alert frame of type t was written to a socket, latency after the
	// alert was created.
	Delivered(t alert.Type, latency time.Duration)
	// Replayed: one stored alert frame of type t was written to a socket that resumed.
	Replayed(t alert.Type)
	// SlowConsumer: a socket is being closed with 4008, for cause.
	SlowConsumer(cause application.SlowConsumerCause)
}

// nopObserver is the observer of a hub given none.
type nopObserver struct{}

func (nopObserver) Delivered(alert.Type, time.Duration)        {}
func (nopObserver) Replayed(alert.Type)                        {}
func (nopObserver) SlowConsumer(application.SlowConsumerCause) {}
