package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Values shaped like the real ones: a bearer token with base64url
// characters, a refresh token, a client secret and the Basic credential.
const (
	accessToken  = "BQD3x-fq_9a0Zk+Lm/Tq~r.7Yw=="
	refreshToken = "AQC8r/tY+k_vv-m9Zq0"
	clientSecret = "4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e"
	basicPair    = "client-id:" + clientSecret
)

var secrets = []string{accessToken, refreshToken, clientSecret, basicPair}

func TestScrubRemovesEveryForm(t *testing.T) {
	for _, sec := range secrets {
		for _, form := range Forms(sec) {
			for _, wrap := range []string{"%s", "Invalid access token: Bearer %s", `{"error":"%s"}`, "<b>%s</b>\n", "Basic %s."} {
				in := strings.Replace(wrap, "%s", form, 1)
				out := Scrub(in, secrets...)
				if Contains(out, secrets...) {
					t.Errorf("secret survives in %q -> %q", in, out)
				}
				if strings.Contains(out, form) {
					t.Errorf("form %q survives in %q", form, out)
				}
			}
		}
	}
}

func TestScrubKeepsTheRest(t *testing.T) {
	got := Scrub("Invalid access token: Bearer "+accessToken+" (expired)", secrets...)
	if got != "Invalid access token: Bearer "+Mark+" (expired)" {
		t.Fatalf("got %q", got)
	}
	if got := Scrub("nothing secret here", secrets...); got != "nothing secret here" {
		t.Fatalf("got %q", got)
	}
}

func TestScrubWithholdsWhatItCannotReplace(t *testing.T) {
	// Mixed escaping: some characters as entities, some not.
	mixed := "&#66;" + accessToken[1:]
	if got := Scrub("token "+mixed, secrets...); Contains(got, secrets...) {
		t.Fatalf("leaked: %q", got)
	}
}

func TestScrubIgnoresShortSecrets(t *testing.T) {
	if got := Scrub("a b c", "", "a"); got != "a b c" {
		t.Fatalf("got %q", got)
	}
}

func TestTextCapsAndEscapes(t *testing.T) {
	long := strings.Repeat("x", 5<<20)
	got := Text(long)
	if len(got) > MaxText+64 || !strings.Contains(got, "cut from 5242880 bytes") {
		t.Fatalf("len %d, tail %q", len(got), got[len(got)-40:])
	}
	got = Text("line\nforged\x1b[31m\u202e\xff")
	if got != `line\nforged\x1b[31m\u202e\xff` {
		t.Fatalf("got %q", got)
	}
}

func TestTextScrubsAcrossTheCut(t *testing.T) {
	// A secret that starts just before the cut must not leave its head.
	s := strings.Repeat("y", MaxText-5) + accessToken + strings.Repeat("z", 10)
	got := Text(s, secrets...)
	if strings.Contains(got, accessToken[:5]) {
		t.Fatalf("head of the token survived the cut: %q", got[len(got)-60:])
	}
}

func FuzzScrub(f *testing.F) {
	for _, sec := range secrets {
		for _, form := range Forms(sec) {
			f.Add("x " + form + " y")
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s, secrets...)
		if Contains(out, secrets...) {
			t.Fatalf("Text(%q) = %q carries a secret", s, out)
		}
		if len(out) > MaxText*8+64 {
			t.Fatalf("Text grew to %d bytes", len(out))
		}
	})
}

// TestFindsBase64GluedToItsNeighbours: a base64 encoding of a text holding
// the secret is found however it is glued to what precedes it: after '='
// (a query or form value), after a path, or after characters of the other
// alphabet.
func TestFindsBase64GluedToItsNeighbours(t *testing.T) {
	const sec = "sekrit-access-token-value"
	std := base64.StdEncoding.EncodeToString([]byte("Bearer " + sec))
	url := base64.RawURLEncoding.EncodeToString([]byte("token:" + sec + "?"))
	for _, s := range []string{
		"t=" + std,
		"a=b&t=" + url,
		"/elsewhere/" + std,
		"/elsewhere/" + url + "/more",
		"x+" + url,
		"ab_" + std + "_cd",
		"prefix" + std[:len(std)-1], // padding dropped
	} {
		if !Contains(s, sec) {
			t.Errorf("Contains(%q) = false", s)
		}
		if got := Text(s, sec); Contains(got, sec) || got == s {
			t.Errorf("Text(%q) = %q", s, got)
		}
	}
}

// A server that wraps its text at a fixed width (a message folded at 64
// columns, base64 broken into MIME's 76-character lines) splits a secret
// across lines; joined again, the lines give it back. Text must not keep
// the pieces.
func TestFindsSecretsSplitAcrossLines(t *testing.T) {
	long := "BQDx3fGh_kLmN0pQ-rStUvWx1yZ2aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"
	fold := func(s string, width int, brk string) string {
		var b strings.Builder
		for i := 0; i < len(s); i += width {
			b.WriteString(s[i:min(i+width, len(s))])
			b.WriteString(brk)
		}
		return b.String()
	}
	header := base64.StdEncoding.EncodeToString([]byte("Authorization: Bearer " + long))
	for name, in := range map[string]string{
		"folded at 40, LF":              "Invalid token: " + fold(long, 40, "\n"),
		"folded at 40, CRLF":            "Invalid token: " + fold(long, 40, "\r\n"),
		"folded, JSON-escaped breaks":   "Invalid token: " + fold(long, 40, `\n`),
		"folded, tabs":                  "Invalid token: " + fold(long, 40, "\n\t"),
		"base64 in MIME lines":          "request was: " + fold(header, 76, "\r\n"),
		"base64 in MIME lines, escaped": "request was: " + fold(header, 76, `\r\n`),
	} {
		out := Text(in, long)
		joined := out
		for _, brk := range []string{`\r`, `\n`, `\t`, "\r", "\n", "\t"} {
			joined = strings.ReplaceAll(joined, brk, "")
		}
		if strings.Contains(joined, long) {
			t.Errorf("%s: the lines of %q join into the secret", name, out)
		}
		for _, d := range base64Runs(joined) {
			if strings.Contains(d, long) {
				t.Errorf("%s: the lines of %q join into the secret's base64", name, out)
				break
			}
		}
	}
}
