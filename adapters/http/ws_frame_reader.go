package http

import (
	"encoding/binary"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/orderalert/orderalert/application"
)

// Opcodes of RFC 6455 §5.2.
const (
	opContinuation byte = 0x0
	opText         byte = 0x1
	opBinary       byte = 0x2
	opClose        byte = 0x8
	opPing         byte = 0x9
	opPong         byte = 0xa
)

// maxControlPayload is the largest payload of a control frame (RFC 6455 §5.5).
const maxControlPayload = 125

// violation is a client frame the server answers by closing the socket with reason.
type violation struct {
	reason application.CloseReason
	detail string // for the log
}

func (v *violation) Error() string { return "client frame refused: " + v.detail }

func refuse(reason application.CloseReason, detail string) *violation {
	return &violation{reason: reason, detail: detail}
}

// frameReader reads a dashboard's frames (RFC 6455 §5) straight from the connection, in place of
// the library's reader, which cannot tell a 1-byte close payload from an empty one (it reports
// both as 1005), does not check that text is UTF-8, and consumes empty continuation frames
// without a trace, so that no budget could count them. It keeps no read buffer: the frame
// budget holds a client to a few frames a second, for which a few small reads per frame cost
// nothing, and an idle socket then holds no buffer at all.
type frameReader struct {
	conn    io.Reader
	allow   func() bool // takes one frame from the budget; false when it is spent
	head    [12]byte    // a frame header after its first two bytes: extended length and mask key
	control [maxControlPayload]byte

	inMessage bool    // a fragmented data message is open
	text      bool    // it is a text message
	length    int     // its bytes so far
	message   *[]byte // its bytes when text (pooled), for the UTF-8 check
}

// messageBuffers hold text messages while they are read; no socket keeps one between messages.
var messageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, maxClientFrame); return &b }}

// next returns the next control frame (ping, pong or a valid close) with its payload, or the
// opcode of the next complete data message; its payload is valid until the next call. A frame
// that breaks RFC 6455 or the budget gives a *violation; a connection that fails, its error.
func (r *frameReader) next() (byte, []byte, error) {
	if !r.inMessage {
		r.release() // the previous text message's, now that its caller is done with it
	}
	for {
		op, payload, done, err := r.frame()
		if err != nil {
			r.release()
			return 0, nil, err
		}
		if done {
			return op, payload, nil
		}
	}
}

// frame reads one frame; done reports whether it completes something next returns.
func (r *frameReader) frame() (op byte, payload []byte, done bool, err error) {
	if _, err := io.ReadFull(r.conn, r.head[:2]); err != nil {
		return 0, nil, false, err
	}
	b0, b1 := r.head[0], r.head[1]
	// Counted at its header, before any of it is acted on: a ping past the budget gets no pong.
	if !r.allow() {
		return 0, nil, false, refuse(application.CloseTooManyFrames, "over the frame budget")
	}
	fin, op := b0&0x80 != 0, b0&0x0f
	if b0&0x70 != 0 {
		return 0, nil, false, refuse(application.CloseProtocolError, "RSV bits without an extension")
	}
	if b1&0x80 == 0 {
		return 0, nil, false, refuse(application.CloseProtocolError, "an unmasked client frame")
	}
	length, key, err := r.lengthAndKey(b1 & 0x7f)
	if err != nil {
		return 0, nil, false, err
	}
	switch op {
	case opClose, opPing, opPong:
		if !fin || length > maxControlPayload {
			return 0, nil, false, refuse(application.CloseProtocolError, "a fragmented or long control frame")
		}
		payload = r.control[:length]
		if _, err := io.ReadFull(r.conn, payload); err != nil {
			return 0, nil, false, err
		}
		unmask(key, payload)
		if op == opClose {
			if err := checkClose(payload); err != nil {
				return 0, nil, false, err
			}
		}
		return op, payload, true, nil
	case opText, opBinary, opContinuation:
		return r.data(op, fin, length, key)
	default:
		return 0, nil, false, refuse(application.CloseProtocolError, "an unknown opcode")
	}
}

// lengthAndKey reads the rest of the header: the extended payload length, if any, and the mask
// key, with one read.
func (r *frameReader) lengthAndKey(short byte) (uint64, [4]byte, error) {
	var key [4]byte
	extended := 0
	switch short {
	case 126:
		extended = 2
	case 127:
		extended = 8
	}
	head := r.head[:extended+4]
	if _, err := io.ReadFull(r.conn, head); err != nil {
		return 0, key, err
	}
	length := uint64(short)
	switch extended {
	case 2:
		length = uint64(binary.BigEndian.Uint16(head))
	case 8:
		if length = binary.BigEndian.Uint64(head); length>>63 != 0 {
			return 0, key, refuse(application.CloseProtocolError, "a 64-bit length with its top bit set")
		}
	}
	copy(key[:], head[extended:])
	return length, key, nil
}

// data reads one data frame into the message it starts or continues; done when it is the last.
func (r *frameReader) data(op byte, fin bool, length uint64, key [4]byte) (byte, []byte, bool, error) {
	switch {
	case op == opContinuation && !r.inMessage:
		return 0, nil, false, refuse(application.CloseProtocolError, "a continuation of no message")
	case op != opContinuation && r.inMessage:
		return 0, nil, false, refuse(application.CloseProtocolError, "a new message inside a fragmented one")
	case length > uint64(maxClientFrame-r.length):
		return 0, nil, false, refuse(application.CloseFrameTooBig, "a message over the client limit")
	}
	if op != opContinuation {
		r.inMessage, r.text, r.length = true, op == opText, 0
		if r.text {
			r.message = messageBuffers.Get().(*[]byte)
		}
	}
	r.length += int(length)
	if !r.text {
		if _, err := io.CopyN(io.Discard, r.conn, int64(length)); err != nil {
			return 0, nil, false, err
		}
	} else {
		start := len(*r.message)
		*r.message = (*r.message)[:start+int(length)]
		part := (*r.message)[start:]
		if _, err := io.ReadFull(r.conn, part); err != nil {
			return 0, nil, false, err
		}
		unmask(key, part)
	}
	if !fin {
		return 0, nil, false, nil
	}
	r.inMessage, r.length = false, 0
	if !r.text {
		return opBinary, nil, true, nil
	}
	if !utf8.Valid(*r.message) {
		return 0, nil, false, refuse(application.CloseInvalidText, "a text message that is not UTF-8")
	}
	return opText, *r.message, true, nil
}

// release gives the text buffer back to the pool: at the next call of next, when the reading
// fails, and (by the handler) when the socket ends.
func (r *frameReader) release() {
	if r.message != nil {
		*r.message = (*r.message)[:0]
		messageBuffers.Put(r.message)
		r.message = nil
	}
}

// checkClose checks a close frame's payload (RFC 6455 §5.5.1, §7.4): empty, or a code that may
// be sent followed by a UTF-8 reason. A 1-byte payload is neither.
func checkClose(payload []byte) error {
	if len(payload) == 0 {
		return nil
	}
	if len(payload) == 1 {
		return refuse(application.CloseProtocolError, "a close frame with a 1-byte payload")
	}
	code := int(binary.BigEndian.Uint16(payload))
	sendable := code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999
	if !sendable {
		return refuse(application.CloseProtocolError, "a close code that may not be sent")
	}
	if !utf8.Valid(payload[2:]) {
		return refuse(application.CloseInvalidText, "a close reason that is not UTF-8")
	}
	return nil
}

// unmask undoes a client's masking of one frame's payload (RFC 6455 §5.3).
func unmask(key [4]byte, p []byte) {
	for i := range p {
		p[i] ^= key[i&3]
	}
}
