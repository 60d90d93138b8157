package nginx_test

import (
	"testing"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }
