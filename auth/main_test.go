package auth_test

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"github.com/spotflow/spotflow/auth"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// stubConfig returns a config that talks to s in memory.
func stubConfig(t testing.TB, s *stub, opts ...auth.Option) *auth.Config {
	t.Helper()
	base := []auth.Option{
		auth.WithClientID(s.ClientID),
		auth.WithClientSecret(s.ClientSecret),
		auth.WithAccountsURL("https://accounts.test"),
		auth.WithHTTPClient(&http.Client{Transport: inMemory{s}}),
	}
	cfg, err := auth.NewConfig(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
