package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/internal/redact"
)

func TestFileStoreRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "token.json")
	fs, err := auth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Load(context.Background()); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("empty store: %v, want ErrNoToken", err)
	}
	exp := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	in := (&oauth2.Token{AccessToken: "AT", TokenType: "Bearer", RefreshToken: "RT", Expiry: exp}).
		WithExtra(map[string]any{"scope": "user-read-private"})
	if err := fs.Save(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	out, err := fs.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if out.AccessToken != "AT" || out.RefreshToken != "RT" || !out.Expiry.Equal(exp) ||
		out.Extra("scope") != "user-read-private" {
		t.Errorf("loaded %+v", out)
	}
	checkMode(t, path, 0o600)
	checkMode(t, filepath.Dir(path), 0o700|os.ModeDir)
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the token", len(entries))
	}
	if err := fs.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Load(context.Background()); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("after Remove: %v", err)
	}
}

func TestFileStoreFailedRenameKeepsPreviousFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	// The target is a non-empty directory: the rename must fail.
	if err := os.MkdirAll(filepath.Join(path, "child"), 0o700); err != nil {
		t.Fatal(err)
	}
	fs, _ := auth.NewFileStore(path)
	if err := fs.Save(context.Background(), &oauth2.Token{AccessToken: "new", RefreshToken: "NEWRT"}); err == nil {
		t.Fatal("save over a non-empty directory succeeded")
	} else if strings.Contains(err.Error(), "NEWRT") {
		t.Errorf("error shows the token: %v", err)
	}
	if _, err := os.Stat(filepath.Join(path, "child")); err != nil {
		t.Errorf("previous content damaged: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temp file left behind: %v", entries)
	}
}

func TestFileStoreCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	if err := os.WriteFile(path, []byte(`{"access_token": 12345678}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fs, _ := auth.NewFileStore(path)
	_, err := fs.Load(context.Background())
	if err == nil || strings.Contains(err.Error(), "12345678") {
		t.Errorf("corrupt file: %v", err)
	}
	if _, err := auth.NewFileStore(" "); err == nil {
		t.Error("empty path accepted")
	}
}

func TestMemoryStoreCopies(t *testing.T) {
	m := &auth.MemoryStore{}
	if _, err := m.Load(context.Background()); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("empty: %v", err)
	}
	tok := &oauth2.Token{AccessToken: "a", RefreshToken: "r"}
	if err := m.Save(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	tok.AccessToken = "changed"
	got, _ := m.Load(context.Background())
	if got.AccessToken != "a" {
		t.Error("store shares the caller's token")
	}
	if err := m.Save(context.Background(), nil); err == nil {
		t.Error("nil token saved")
	}
}

// checkMode fails t unless path has exactly the mode want.
func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
	}
}

// A token file that is not a token is an error that names the file and the
// fault, and quotes none of the file: its values may be secrets.
func TestFileStoreBadFileQuotesNothing(t *testing.T) {
	const secret = "AQsecret-REFRESH-value-123"
	for name, body := range map[string]string{
		"garbage expiry":       `{"refresh_token":"` + secret + `","expiry":"` + secret + `"}`,
		"expiry of wrong type": `{"refresh_token":"` + secret + `","expiry":12345}`,
		"value of wrong type":  `{"access_token":["` + secret + `"]}`,
		"not JSON":             secret,
		"cut short":            `{"refresh_token":"` + secret,
		"bad character":        `{"refresh_token": ` + secret + `}`,
	} {
		path := filepath.Join(t.TempDir(), "token.json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		fs, _ := auth.NewFileStore(path)
		_, err := fs.Load(context.Background())
		if err == nil || redact.Contains(err.Error(), secret) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming the file and quoting nothing", name, err)
		}
	}
}
