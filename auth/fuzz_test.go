package auth_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/internal/redact"
)

// inPlay lists, per flow, the secrets the flow knows, and so must keep out
// of what it shows. (A value a flow never held, the fuzzer may write as it
// likes.)
var inPlay = map[string][]string{
	"client credentials": hostileSecrets[5:],
	"refresh":            append([]string{hostileRefresh, hostileAccess}, hostileSecrets[5:]...),
	"code exchange":      append([]string{hostileCode, hostileVerifier}, hostileSecrets[5:]...),
}

// FuzzAccountsAnswer serves any answer to the token requests of every flow
// and checks that no error and no Debug log line shows a secret. The corpus
// starts from the real secret values, echoed in every place and encoding
// TestHostileAccountsServiceLeaksNothing uses, so the fuzzer mutates
// around them instead of having to guess them.
func FuzzAccountsAnswer(f *testing.F) {
	seed := func(pl place, v string) {
		rec := httptest.NewRecorder()
		pl.write(rec, v)
		f.Add(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Location"), rec.Body.Bytes())
	}
	// Every place with each secret as is, and one place with each secret
	// in every encoding; the long answers are left out, which the fuzzer
	// mutates slowly.
	for _, pl := range places {
		for _, sec := range []string{hostileBasic, hostileSecret, hostileRefresh, hostileAccess, hostileCode, hostileVerifier} {
			if pl.name != "long description" {
				seed(pl, sec)
			}
			if pl.name == "error_description" {
				for _, form := range redact.Forms(sec)[1:] {
					seed(pl, form)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, status int, ctype, location string, body []byte) {
		status = 200 + (status%400+400)%400 // 200..599: WriteHeader refuses the rest
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			if location != "" {
				w.Header().Set("Location", location)
			}
			w.WriteHeader(status)
			w.Write(body)
		})
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		for flow, err := range hostileFlows(t, h, logger, allFlows...) {
			if err == nil {
				continue // the fuzzer found a usable token: nothing to show
			}
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
				if redact.Contains(text, inPlay[flow]...) {
					t.Fatalf("%s error shows a secret: %s", flow, text)
				}
			}
		}
		for line := range strings.Lines(logs.String()) {
			if redact.Contains(line, inPlay["client credentials"]...) {
				t.Fatalf("log line shows a secret: %s", line)
			}
		}
	})
}
