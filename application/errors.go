package application

import (
	"errors"
	"strconv"
)

// ErrInvalidInput is a request the use case cannot act on (a negative id, a limit out of range).
var ErrInvalidInput = errors.New("invalid input")

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
