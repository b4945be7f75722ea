package spotify

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/ratelimit"
)

// Option configures a Client. Options check their arguments and return an
// error rather than panic.
type Option func(*config) error

type config struct {
	baseURL    string
	tokens     oauth2.TokenSource
	httpClient *http.Client
	limiter    *ratelimit.Limiter
	logger     *slog.Logger
	market     string
	language   string
	agent      string
	maxBody    int64
	progress   time.Duration

	// The outer layers of the transport stack (stack.go).
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	cache          cache.Store
	noCoalesce     bool
	identityKey    []byte
}

// WithTokenSource authenticates every request with tokens from ts: any
// oauth2.TokenSource, such as those of the auth package. The token is sent
// to the base URL's scheme and host only. When ts is a
// [ContextTokenSource], each request waits for a token only as long as its
// context lets it. When ts is a [TokenRenewer], a request answered 401 is
// sent once more with a renewed token.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("spotify: WithTokenSource: nil token source")
		}
		c.tokens = ts
		return nil
	}
}

// WithBaseURL points the client at another Web API, such as a spotifytest
// server ("http://127.0.0.1:PORT/v1/").
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if _, err := parseBaseURL(u); err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient uses hc's transport and settings under the client's own
// authentication and rate limiting layers.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("spotify: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLimiter shares lim between this client and every other client of the
// same Spotify app: Spotify's rate limit is per app, not per client.
func WithLimiter(lim *ratelimit.Limiter) Option {
	return func(c *config) error {
		if lim == nil {
			return errors.New("spotify: WithLimiter: nil limiter")
		}
		c.limiter = lim
		return nil
	}
}

// WithLogger logs each request's method, path, status and duration at debug
// level. Headers and tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithMarket sets the market (an ISO 3166-1 alpha-2 code, or "from_token")
// used by calls that take one and were given none.
func WithMarket(market string) Option {
	return func(c *config) error {
		if err := checkMarket(market); err != nil {
			return err
		}
		c.market = market
		return nil
	}
}

// WithAcceptLanguage sets the Accept-Language header, which localizes names
// and descriptions in some answers.
func WithAcceptLanguage(lang string) Option {
	return func(c *config) error {
		if strings.ContainsAny(lang, "\r\n") {
			return errors.New("spotify: WithAcceptLanguage: invalid header value")
		}
		c.language = lang
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("spotify: WithUserAgent: invalid header value")
		}
		c.agent = ua
		return nil
	}
}

// WithMaxResponseSize caps the bytes read from one response body; a larger
// body fails with ErrTooLarge instead of growing memory without bound.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("spotify: WithMaxResponseSize: %d is not positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithProgressTimeout bounds how long one attempt may go without progress
// from the server: no answer within d of sending the request, or no byte of
// the body for d once the answer started. Such an attempt is abandoned (its
// own context is cancelled, which closes its connection and frees its
// in-flight slot of the Limiter) and fails with an error whose Timeout
// method reports true; the Limiter retries it when the request is safe to
// repeat. It bounds stalls, not slow answers: a large body that keeps
// arriving is read to the end. The default is [DefaultProgressTimeout]; d
// must be positive.
func WithProgressTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("spotify: WithProgressTimeout: %s is not positive", d)
		}
		c.progress = d
		return nil
	}
}

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("spotify: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("spotify: base URL %q: want an absolute http or https URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("spotify: base URL %q: must not have a query or fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}
