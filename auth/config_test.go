package auth_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/auth"
)

func lookup(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	env := lookup(map[string]string{
		auth.EnvClientID:     "env-id",
		auth.EnvClientSecret: "env-secret",
		auth.EnvRedirectURI:  "http://127.0.0.1:8888/callback",
	})
	cfg, err := auth.NewConfig(auth.FromLookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientID() != "env-id" || !cfg.HasSecret() || cfg.RedirectURI() != "http://127.0.0.1:8888/callback" {
		t.Errorf("config from env = %v", cfg)
	}
	// Explicit options win over the environment whatever their order.
	cfg, err = auth.NewConfig(auth.FromLookup(env), auth.WithClientID("arg-id"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientID() != "arg-id" {
		t.Errorf("ClientID = %q, want the argument's", cfg.ClientID())
	}
}

func TestConfigFromEnvReal(t *testing.T) {
	t.Setenv(auth.EnvClientID, "real-env-id")
	t.Setenv(auth.EnvClientSecret, "")
	t.Setenv(auth.EnvRedirectURI, "")
	cfg, err := auth.NewConfig(auth.FromEnv())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientID() != "real-env-id" || cfg.HasSecret() {
		t.Errorf("config = %v", cfg)
	}
}

func TestConfigMissingNamesVariables(t *testing.T) {
	_, err := auth.NewConfig(auth.FromLookup(lookup(nil)))
	if !errors.Is(err, auth.ErrMissingConfig) || !strings.Contains(err.Error(), auth.EnvClientID) {
		t.Errorf("missing client ID: %v", err)
	}
	_, err = auth.NewConfig()
	if !errors.Is(err, auth.ErrMissingConfig) || !strings.Contains(err.Error(), "WithClientID") ||
		!strings.Contains(err.Error(), auth.EnvClientID) {
		t.Errorf("missing client ID without env: %v", err)
	}

	cfg, err := auth.NewConfig(auth.FromLookup(lookup(map[string]string{auth.EnvClientID: "id"})))
	if err != nil {
		t.Fatal(err)
	}
	_, err = auth.NewClientCredentials(t.Context(), cfg)
	if !errors.Is(err, auth.ErrMissingConfig) || !strings.Contains(err.Error(), auth.EnvClientSecret) {
		t.Errorf("missing secret: %v", err)
	}
	_, err = cfg.Authorize()
	if !errors.Is(err, auth.ErrMissingConfig) || !strings.Contains(err.Error(), auth.EnvRedirectURI) {
		t.Errorf("missing redirect URI: %v", err)
	}
}

func TestConfigOptionErrors(t *testing.T) {
	for name, opt := range map[string]auth.Option{
		"empty id":      auth.WithClientID(" "),
		"empty secret":  auth.WithClientSecret(""),
		"relative uri":  auth.WithRedirectURI("/callback"),
		"fragment":      auth.WithRedirectURI("https://app.example/cb#x"),
		"bad scope":     auth.WithScopes("user-read-private user-read-email"),
		"empty scope":   auth.WithScopes(""),
		"nil client":    auth.WithHTTPClient(nil),
		"nil logger":    auth.WithLogger(nil),
		"nil lookup":    auth.FromLookup(nil),
		"bad endpoint":  auth.WithAccountsURL("::"),
		"localhost":     auth.WithRedirectURI("http://localhost:8080/cb"),
		"sub.localhost": auth.WithRedirectURI("http://app.localhost:8080/cb"),
	} {
		if _, err := auth.NewConfig(auth.WithClientID("id"), opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := auth.NewConfig(auth.WithClientID("id"), auth.WithoutPKCE()); err == nil {
		t.Error("WithoutPKCE without a secret: no error")
	}
}

func TestConfigNeverPrintsSecret(t *testing.T) {
	cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithClientSecret("s3cr3t-value"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), cfg.String()} {
		if strings.Contains(s, "s3cr3t-value") {
			t.Errorf("secret printed: %s", s)
		}
	}
}

func TestAllScopes(t *testing.T) {
	scopes := auth.AllScopes()
	if len(scopes) != 19 {
		t.Fatalf("%d scopes, want the spec's 19", len(scopes))
	}
	seen := map[string]bool{}
	for _, s := range scopes {
		if seen[s] || s == "" {
			t.Errorf("scope %q empty or repeated", s)
		}
		seen[s] = true
	}
	if auth.ScopeUserReadPrivate != "user-read-private" || auth.ScopeUGCImageUpload != "ugc-image-upload" {
		t.Error("scope constants do not match the spec's names")
	}
}

func TestLogValuesHideSecrets(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithClientSecret("s3cr3t-value"),
		auth.WithRedirectURI("https://app.example/cb"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := cfg.Authorize()
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("x", "cfg", cfg, "attempt", a, "attempt value", *a)
	if leak, ok := containsAny(buf.String(), "s3cr3t-value", a.Verifier); ok {
		t.Errorf("log shows %q: %s", leak, buf.String())
	}
	if fmt.Sprintf("%v %+v", *a, a) == "" || strings.Contains(fmt.Sprintf("%v %+v", *a, a), a.Verifier) {
		t.Error("fmt shows the verifier")
	}
}
