package auth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"
)

func TestFileStoreInjectedRenameFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	fs, err := NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Save(context.Background(), &oauth2.Token{AccessToken: "old", RefreshToken: "old-rt"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	boom := errors.New("rename failed")
	fs.rename = func(string, string) error { return boom }
	err = fs.Save(context.Background(), &oauth2.Token{AccessToken: "new", RefreshToken: "new-rt"})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the rename's", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("previous file changed by a failed save")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temp file left behind: %d entries", len(entries))
	}
	tok, err := fs.Load(context.Background())
	if err != nil || tok.RefreshToken != "old-rt" {
		t.Errorf("load after failed save: %v, %v", tok, err)
	}
}
