package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Store keeps a user's token between runs. Load returns an error matching
// [ErrNoToken] when there is none yet. Implementations must be safe for
// concurrent use and must not put token values in their errors.
type Store interface {
	Load(ctx context.Context) (*oauth2.Token, error)
	Save(ctx context.Context, tok *oauth2.Token) error
}

// MemoryStore is a Store in memory, for tests and short-lived programs, or
// for several sources of one process that share a token. The zero value is
// empty and ready to use. It implements [Locker] with a lease that lapses
// on its own, as a lock kept by a server would.
type MemoryStore struct {
	mu   sync.Mutex
	tok  *oauth2.Token
	lock memLock
}

// NewMemoryStore returns a store holding tok (which may be nil).
func NewMemoryStore(tok *oauth2.Token) *MemoryStore {
	return &MemoryStore{tok: cloneToken(tok)}
}

// Load returns a copy of the stored token.
func (m *MemoryStore) Load(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, ErrNoToken
	}
	return cloneToken(m.tok), nil
}

// Save stores a copy of tok.
func (m *MemoryStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tok == nil {
		return errors.New("auth: MemoryStore.Save: nil token")
	}
	m.mu.Lock()
	m.tok = cloneToken(tok)
	m.mu.Unlock()
	return nil
}

// FileStore is a Store in a JSON file readable by its owner only (mode
// 0600, directory created 0700). Saves are atomic: the token is written to
// a temporary file in the same directory, synced, and renamed over the old
// file, so a crash or a failed save leaves the previous token intact. It
// implements [Locker] with a file lock, so that processes sharing the file
// refresh one at a time.
type FileStore struct {
	path   string
	rename func(oldpath, newpath string) error // os.Rename; replaced in tests

	mu sync.Mutex // one save at a time within the process
}

// NewFileStore returns a store at path. Nothing is read or written yet.
func NewFileStore(path string) (*FileStore, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("auth: NewFileStore: empty path")
	}
	return &FileStore{path: filepath.Clean(path), rename: os.Rename}, nil
}

// DefaultTokenPath returns where command-line tools keep the token:
// spotflow/token.json under the user's configuration directory.
func DefaultTokenPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("auth: no configuration directory: %w", err)
	}
	return filepath.Join(dir, "spotflow", "token.json"), nil
}

// Path returns the file's path.
func (f *FileStore) Path() string { return f.path }

// fileToken is the file's format. Expiry is a string, parsed here, so that
// an error about a bad one never quotes the file (time.Time's decoder
// would).
type fileToken struct {
	AccessToken  string `json:"access_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Expiry       string `json:"expiry,omitempty"` // RFC 3339
	Scope        string `json:"scope,omitempty"`
}

// Load reads the token; a missing file is [ErrNoToken]. A file that is not
// a token is an error that names the file and the fault but quotes none of
// its content, which may hold secrets.
func (f *FileStore) Load(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoToken, f.path)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading the token: %w", err)
	}
	var ft fileToken
	if err := json.Unmarshal(data, &ft); err != nil {
		return nil, fmt.Errorf("auth: token file %s is not valid: %s", f.path, jsonFault(err))
	}
	if ft.AccessToken == "" && ft.RefreshToken == "" {
		return nil, fmt.Errorf("%w in %s (the file holds no token)", ErrNoToken, f.path)
	}
	tok := &oauth2.Token{
		AccessToken:  ft.AccessToken,
		TokenType:    ft.TokenType,
		RefreshToken: ft.RefreshToken,
	}
	if ft.Expiry != "" {
		if tok.Expiry, err = time.Parse(time.RFC3339Nano, ft.Expiry); err != nil {
			return nil, fmt.Errorf("auth: token file %s is not valid: expiry is not an RFC 3339 time", f.path)
		}
	}
	if ft.Scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": ft.Scope})
	}
	return tok, nil
}

// jsonFault says what is wrong with a JSON document without quoting it.
func jsonFault(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("field %s is not a %s", typ.Field, typ.Type)
	}
	return "malformed JSON"
}

// Save writes tok atomically. On failure the previous file is untouched
// and the temporary file removed.
func (f *FileStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tok == nil {
		return errors.New("auth: FileStore.Save: nil token")
	}
	ft := fileToken{
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
	}
	if !tok.Expiry.IsZero() {
		ft.Expiry = tok.Expiry.UTC().Format(time.RFC3339Nano)
	}
	if s, ok := tok.Extra("scope").(string); ok {
		ft.Scope = s
	}
	data, err := json.MarshalIndent(ft, "", "  ")
	if err != nil {
		return fmt.Errorf("auth: encoding the token: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writeAtomic(append(data, '\n'))
}

func (f *FileStore) writeAtomic(data []byte) (err error) {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.path)+".*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	if err := f.rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("auth: saving the token: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the platform allows it; a failure
// only weakens durability, so it is ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Remove deletes the token file (a logout); a missing file is no error.
func (f *FileStore) Remove() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("auth: removing the token: %w", err)
	}
	return nil
}
