package auth_test

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/orderalert/orderalert/adapters/auth"
)

func TestBcrypt(t *testing.T) {
	t.Parallel()
	h := auth.Bcrypt{Cost: bcrypt.MinCost}
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2a$") || strings.Contains(hash, "correct horse") {
		t.Fatalf("hash %q is not a bcrypt hash", hash)
	}
	if !h.Matches(hash, "correct horse") || h.Matches(hash, "correct horsE") || h.Matches("not a hash", "correct horse") {
		t.Fatal("Matches disagrees with the password")
	}
	if _, err := h.Hash(strings.Repeat("x", 73)); err == nil {
		t.Fatal("a 73-byte password was hashed (bcrypt would ignore its end)")
	}
}
