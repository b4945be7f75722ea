package spotify

import (
	"context"
	"net/http"

	"github.com/spotflow/spotflow/cache"
)

// The transport stack, outermost first:
//
//	telemetry  one span per call, metrics           telemetry.go
//	coalesce   identical GETs in flight share one   coalesce.go
//	cache      Cache-Control, ETag (opt-in)         cache.go, ../cache
//	token      the bearer token, API host only      bearer.go
//	ratelimit  gate, bucket, in-flight, retries     ../ratelimit
//	bodyReader the body read inside each attempt    request.go
//	net/http
//
// Each layer is one RoundTripper with one concern; the three outer ones are
// left out when they have nothing to do.

// opKey carries a request's operation from Client.do to the layers that
// name or scope it (telemetry, cache).
type opKey struct{}

// operationOf returns the operation of a request made by Client.do, or nil.
func operationOf(ctx context.Context) *operation {
	op, _ := ctx.Value(opKey{}).(*operation)
	return op
}

// withOperation attaches op to ctx when a layer will read it: the cost
// (one allocation) is paid only by clients with telemetry or a cache.
func (c *Client) withOperation(ctx context.Context, op *operation) context.Context {
	if c.cached || c.tel.recording() {
		return context.WithValue(ctx, opKey{}, op)
	}
	return ctx
}

// wrapStack puts the outer layers around the token layer and everything
// under it.
func (c *Client) wrapStack(cfg *config, inner http.RoundTripper) http.RoundTripper {
	rt := inner
	if cfg.cache != nil {
		c.cached = true
		rt = &cache.Transport{Base: rt, Store: cfg.cache, Scope: c.ids.scope, Observe: c.tel.cacheOutcome}
	}
	if !cfg.noCoalesce {
		rt = &coalescer{base: rt, scope: c.ids.scope, observe: c.tel.coalesced, maxBody: cfg.maxBody}
	}
	return &telemetryTransport{base: rt, tel: c.tel}
}

// closeIdle closes rt's idle connections when it can, so that an
// http.Client's CloseIdleConnections reaches the transport at the bottom.
func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *telemetryTransport) CloseIdleConnections() { closeIdle(t.base) }
func (c *coalescer) CloseIdleConnections()          { closeIdle(c.base) }
