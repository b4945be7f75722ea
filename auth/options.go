package auth

import (
	"errors"
	"io"
	"time"

	"golang.org/x/oauth2"
)

// DefaultSkew is how long before its expiry a token is replaced.
const DefaultSkew = 60 * time.Second

// SourceOption configures [NewClientCredentials] and [NewRefreshSource].
type SourceOption interface{ applySource(*sourceOptions) error }

// LoginOption configures [Login].
type LoginOption interface{ applyLogin(*loginOptions) error }

// AuthorizeOption configures [Config.Authorize].
type AuthorizeOption interface{ applyAuthorize(*authorizeOptions) error }

type sourceOptions struct {
	skew        time.Duration
	now         func() time.Time
	store       Store
	token       *oauth2.Token
	onSaveError func(error)
}

type loginOptions struct {
	opener    func(url string) error
	output    io.Writer
	timeout   time.Duration
	store     Store
	authorize authorizeOptions
}

type authorizeOptions struct {
	showDialog bool
}

type sourceOption func(*sourceOptions) error

func (f sourceOption) applySource(o *sourceOptions) error { return f(o) }

type loginOption func(*loginOptions) error

func (f loginOption) applyLogin(o *loginOptions) error { return f(o) }

// WithSkew sets how long before expiry a token is replaced (default 60 s).
// For a token whose lifetime is known, at most half of it is used.
func WithSkew(d time.Duration) SourceOption {
	return sourceOption(func(o *sourceOptions) error {
		if d < 0 {
			return errors.New("auth: WithSkew: negative duration")
		}
		o.skew = d
		return nil
	})
}

// WithClock replaces time.Now for deciding when a token expired. Tests
// pass a fake clock; with testing/synctest none is needed.
func WithClock(now func() time.Time) SourceOption {
	return sourceOption(func(o *sourceOptions) error {
		if now == nil {
			return errors.New("auth: WithClock: nil function")
		}
		o.now = now
		return nil
	})
}

// WithToken gives a refresh source its first token (it must carry a refresh
// token). Without it, the source loads one from its store.
func WithToken(tok *oauth2.Token) SourceOption {
	return sourceOption(func(o *sourceOptions) error {
		if tok == nil {
			return errors.New("auth: WithToken: nil token")
		}
		o.token = cloneToken(tok)
		return nil
	})
}

// OnSaveError calls fn, on the refreshing goroutine, when the store fails
// to save a refreshed token. The token stays in use either way.
func OnSaveError(fn func(error)) SourceOption {
	return sourceOption(func(o *sourceOptions) error {
		if fn == nil {
			return errors.New("auth: OnSaveError: nil function")
		}
		o.onSaveError = fn
		return nil
	})
}

// StoreOption is the option [WithStore] returns; it configures both a
// refresh source and [Login].
type StoreOption struct{ store Store }

// WithStore names where tokens are loaded from and saved to.
func WithStore(s Store) StoreOption { return StoreOption{store: s} }

func (o StoreOption) applySource(so *sourceOptions) error {
	if o.store == nil {
		return errors.New("auth: WithStore: nil store")
	}
	so.store = o.store
	return nil
}

func (o StoreOption) applyLogin(lo *loginOptions) error {
	if o.store == nil {
		return errors.New("auth: WithStore: nil store")
	}
	lo.store = o.store
	return nil
}

// DialogOption is the option [ShowDialog] returns; it configures both
// [Config.Authorize] and [Login].
type DialogOption struct{}

// ShowDialog makes Spotify show the consent page even to a user who
// already approved the app, so they can switch accounts.
func ShowDialog() DialogOption { return DialogOption{} }

func (DialogOption) applyAuthorize(ao *authorizeOptions) error {
	ao.showDialog = true
	return nil
}

func (DialogOption) applyLogin(lo *loginOptions) error {
	lo.authorize.showDialog = true
	return nil
}

// WithOpener replaces how [Login] shows the authorization URL: by default
// it prints it to the output (see [WithOutput]); [OpenBrowser] starts the
// system browser. Tests pass a function that plays the browser.
func WithOpener(open func(url string) error) LoginOption {
	return loginOption(func(o *loginOptions) error {
		if open == nil {
			return errors.New("auth: WithOpener: nil function")
		}
		o.opener = open
		return nil
	})
}

// WithOutput sets where [Login] prints its instructions (default os.Stderr).
func WithOutput(w io.Writer) LoginOption {
	return loginOption(func(o *loginOptions) error {
		if w == nil {
			return errors.New("auth: WithOutput: nil writer")
		}
		o.output = w
		return nil
	})
}

// WithTimeout bounds how long [Login] waits for the browser (default 5 min).
func WithTimeout(d time.Duration) LoginOption {
	return loginOption(func(o *loginOptions) error {
		if d <= 0 {
			return errors.New("auth: WithTimeout: duration must be positive")
		}
		o.timeout = d
		return nil
	})
}

func applySourceOptions(opts []SourceOption) (*sourceOptions, error) {
	o := &sourceOptions{skew: DefaultSkew, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applySource(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}
