package main

import (
	"testing"

	"example.com/shop/config"
)

func TestLoadUsesPort(t *testing.T) {
	t.Setenv("PORT", "9090")
	if got := config.Load().Port; got != "9090" {
		t.Fatalf("Port = %q, want 9090", got)
	}
}
