package nginx_test

import (
	"os"
	"testing"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) {
	var cleanup func()
	var err error
	if binary, cleanup, err = proc.Build("../../cmd/orderalert"); err != nil {
		panic(err)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}
