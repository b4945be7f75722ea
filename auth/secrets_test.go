package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/auth"
)

// TestNoSecretInErrorsOrLogs runs every failing flow, and the successful
// ones, with a debug logger, and checks that no error text and no log line
// carries the secret, a token, a code or a verifier. Unlike spotifytest
// (see TestFakeNoSecretInErrorsOrLogs), the stub echoes them in its error
// descriptions, as a careless server might, so this checks the scrubbing.
func TestNoSecretInErrorsOrLogs(t *testing.T) {
	s := newStub()
	s.Rotate = true
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const badSecret = "bad-SECRET-77aa"
	var errs []error
	var secrets []string // everything that must never show
	note := func(err error) {
		if err == nil {
			t.Error("flow did not fail")
			return
		}
		errs = append(errs, err)
	}
	cfgWith := func(secret string, hc *http.Client) *auth.Config {
		cfg, err := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithClientSecret(secret),
			auth.WithRedirectURI(testRedirect), auth.WithAccountsURL("https://accounts.test"),
			auth.WithHTTPClient(hc), auth.WithLogger(logger))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	good := cfgWith(s.ClientSecret, httpClient(s))
	bad := cfgWith(badSecret, httpClient(s))
	offline := cfgWith(s.ClientSecret, &http.Client{Transport: failing{}})
	secrets = append(secrets, s.ClientSecret, badSecret)
	ctx := context.Background()

	// Successful flows log too: fetched, exchanged, refreshed, rotated, saved.
	cc, _ := auth.NewClientCredentials(ctx, good)
	if _, err := cc.Token(); err != nil {
		t.Fatal(err)
	}
	a, _ := good.Authorize()
	secrets = append(secrets, a.Verifier)
	code := visitAuthorize(t, s, a.URL)
	tok, err := good.Exchange(ctx, a, code)
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := auth.NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	rs, _ := auth.NewRefreshSource(ctx, good, auth.WithToken(expiredToken(tok.RefreshToken)), auth.WithStore(fs))
	if _, err := rs.Token(); err != nil {
		t.Fatal(err)
	}

	// Bad secret, in every flow that sends it.
	cc, _ = auth.NewClientCredentials(ctx, bad)
	_, err = cc.Token()
	note(err)
	a2, _ := bad.Authorize()
	secrets = append(secrets, a2.Verifier)
	code2 := visitAuthorize(t, s, a2.URL)
	_, err = bad.Exchange(ctx, a2, code2)
	note(err)
	rt := s.RefreshToken()
	rs, _ = auth.NewRefreshSource(ctx, bad, auth.WithToken(expiredToken(rt)))
	_, err = rs.Token()
	note(err)

	// Bad code, wrong verifier, revoked refresh token.
	a3, _ := good.Authorize()
	_, err = good.Exchange(ctx, a3, "no-such-CODE-123")
	note(err)
	secrets = append(secrets, a3.Verifier, "no-such-CODE-123")
	a4, _ := good.Authorize()
	code4 := visitAuthorize(t, s, a4.URL)
	a4.Verifier += "x"
	_, err = good.Exchange(ctx, a4, code4)
	note(err)
	secrets = append(secrets, a4.Verifier, code4)
	revoked := s.RefreshToken()
	s.Revoke(revoked)
	rs, _ = auth.NewRefreshSource(ctx, good, auth.WithToken(expiredToken(revoked)))
	_, err = rs.Token()
	note(err)

	// Network errors.
	cc, _ = auth.NewClientCredentials(ctx, offline)
	_, err = cc.Token()
	note(err)
	rs, _ = auth.NewRefreshSource(ctx, offline, auth.WithToken(expiredToken(rt)))
	_, err = rs.Token()
	note(err)
	a5, _ := offline.Authorize()
	_, err = offline.Exchange(ctx, a5, "net-CODE-456")
	note(err)
	secrets = append(secrets, a5.Verifier, "net-CODE-456", "old-access")

	secrets = append(secrets, s.Issued()...)
	for _, err := range errs {
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if leak, ok := containsAny(text, secrets...); ok {
				t.Errorf("error %q contains %q", text, leak)
			}
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if leak, ok := containsAny(line, secrets...); ok {
			t.Errorf("log line %q contains %q", line, leak)
		}
	}
	for _, want := range []string{"token fetched", "refreshed", "rotated", "saved", "failed"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no log event %q in:\n%s", want, logs.String())
		}
	}
}
