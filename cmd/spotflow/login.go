package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// defaultRedirectURI is the redirect URI login uses when none is set; it
// must be registered for the app in Spotify's dashboard.
const defaultRedirectURI = "http://127.0.0.1:8888/callback"

// loginScopes are what login asks for: enough for whoami and exports.
var loginScopes = []string{
	auth.ScopeUserReadPrivate,
	auth.ScopeUserReadEmail,
	auth.ScopeUserLibraryRead,
	auth.ScopePlaylistReadPrivate,
	auth.ScopePlaylistReadCollaborative,
}

func (a *app) loginCmd() *cobra.Command {
	var (
		noBrowser bool
		timeout   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to Spotify in the browser and keep the token",
		Long: `Log in with the authorization code flow with PKCE: spotflow listens on the
loopback redirect URI, opens the browser at Spotify's consent page, takes the
callback and keeps the token (mode 0600) in the user's config directory, or in
--token-file. The redirect URI (default ` + defaultRedirectURI + `) must be
registered for the app; no client secret is needed.

With --fake, the login runs against the fake's accounts service, which
approves at once; the token is not stored.`,
		Args:        cobra.NoArgs,
		Annotations: uses("base-url", "accounts-url", "client-id", "client-secret", "redirect-uri", "token-file", "fake"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.g.fake {
				if err := refuse(cmd, "cannot apply with --fake: the fake approves the login without a browser", "no-browser"); err != nil {
					return err
				}
			}
			return a.login(cmd.Context(), noBrowser, timeout)
		},
	}
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "print the URL to open instead of starting a browser")
	cmd.Flags().DurationVar(&timeout, "timeout", auth.DefaultLoginTimeout, "how long to wait for the browser")
	return cmd
}

func (a *app) login(ctx context.Context, noBrowser bool, timeout time.Duration) error {
	s := a.newSession()
	defer s.Close()

	cfg, err := a.loginConfig(s)
	if err != nil {
		return err
	}
	var store auth.Store = auth.NewMemoryStore(nil)
	saved := ""
	if s.fake == nil {
		fs, err := a.tokenStore()
		if err != nil {
			return err
		}
		store, saved = fs, fs.Path()
	}
	tok, err := auth.Login(ctx, cfg,
		auth.WithOpener(a.opener(ctx, s, noBrowser)),
		auth.WithStore(store),
		auth.WithOutput(a.stderr),
		auth.WithTimeout(timeout))
	if err != nil {
		return err
	}

	if err := a.buildClients(s, oauth2.StaticTokenSource(tok)); err != nil {
		return err
	}
	me, err := s.client.Users.Me(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Logged in as %s (%s).\n", shown(me.DisplayName), shown(me.ID))
	if saved != "" {
		fmt.Fprintf(a.stdout, "Token saved to %s, readable by you only.\n", saved)
	} else {
		fmt.Fprintln(a.stdout, "Token not stored: the fake is gone when spotflow exits.")
	}
	return nil
}

// loginConfig is the app's config with the login's scopes and a redirect
// URI: the flag's, the environment's, or the default; a free loopback port
// with --fake.
func (a *app) loginConfig(s *session) (*auth.Config, error) {
	opts := []auth.Option{auth.WithScopes(loginScopes...)}
	if s.fake != nil {
		uri, err := freeLoopbackURI()
		if err != nil {
			return nil, err
		}
		opts = append(opts, auth.WithRedirectURI(uri))
	}
	cfg, err := a.authConfig(s, opts...)
	if err != nil || cfg.RedirectURI() != "" {
		return cfg, err
	}
	// Set explicitly, the default would override the environment's, so
	// it is added only once neither gave one.
	return a.authConfig(s, append(opts, auth.WithRedirectURI(defaultRedirectURI))...)
}

// opener shows the user the consent page: the fake's approves without a
// browser.
func (a *app) opener(ctx context.Context, s *session, noBrowser bool) func(string) error {
	switch {
	case s.fake != nil:
		return fakeBrowser(ctx)
	case noBrowser:
		return auth.PrintURL(a.stderr)
	}
	return func(url string) error {
		fmt.Fprintf(a.stderr, "Opening your browser to log in. If it does not open, visit:\n\n    %s\n\n", url)
		_ = a.browser(url) // the URL is printed either way
		return nil
	}
}

// fakeBrowser plays the user's browser at the fake's consent page, which
// approves at once and redirects to the loopback callback.
func fakeBrowser(ctx context.Context) func(string) error {
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	return func(url string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("the fake's login answered %s", resp.Status)
		}
		return nil
	}
}

// freeLoopbackURI returns a redirect URI on a loopback port that was free
// a moment ago.
func freeLoopbackURI() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return fmt.Sprintf("http://%s/callback", ln.Addr()), nil
}
