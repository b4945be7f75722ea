package spotify

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/ratelimit"
)

// Telemetry follows OpenTelemetry's semantic conventions for HTTP clients:
// one client span per call, named after the method and the route template
// ("GET /v1/tracks/{id}"), with the method, the template, the server, the
// status code, error.type and spotify.operation; events on it for each wait
// at the gate, the bucket or the in-flight cap, each 429 and each retry;
// and the metrics listed in [WithMeterProvider]. No attribute holds a
// token, an ID, a URL's path or a query: the template is the contract's
// route, which names its parameters instead of their values.
//
// Without providers the client uses the global ones, looked up on each
// call, so a program may set them after making the client. While they are
// OpenTelemetry's defaults (nothing set) or no-op providers, a call costs a
// few atomic loads and no allocation.

// instrumentationName names the tracer and the meter.
const instrumentationName = "github.com/spotflow/spotflow/spotify"

// Attribute keys of our own, beside the semantic conventions'.
const (
	attrOperation   = attribute.Key("spotify.operation")
	attrAttempts    = attribute.Key("spotify.attempts")
	attrStage       = attribute.Key("spotify.ratelimit.stage")
	attrWait        = attribute.Key("spotify.ratelimit.wait")
	attrRetryAfter  = attribute.Key("spotify.ratelimit.retry_after")
	attrAttempt     = attribute.Key("spotify.retry.attempt")
	attrReason      = attribute.Key("spotify.retry.reason")
	attrBackoff     = attribute.Key("spotify.retry.backoff")
	attrOutcome     = attribute.Key("spotify.cache.outcome")
	secondsAdvisory = "s"
)

// WithTracerProvider makes the client's spans with tp instead of the global
// provider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) error {
		if tp == nil {
			return errors.New("spotify: WithTracerProvider: nil provider")
		}
		c.tracerProvider = tp
		return nil
	}
}

// WithMeterProvider records the client's metrics with mp instead of the
// global provider. The metrics are:
//
//   - http.client.request.duration (s): per call, by operation, method,
//     route template, server, status code and error.type;
//   - http.client.active_requests: calls in flight;
//   - spotify.ratelimit.wait.duration (s): time waited, by stage (gate,
//     bucket, slot, backoff) and operation;
//   - spotify.ratelimit.throttled: 429 answers, by operation;
//   - spotify.retries: attempts after the first, by operation and reason;
//   - spotify.ratelimit.rate ({request}/s): the Limiter's current pace;
//   - spotify.coalesced: calls served by another call's request;
//   - spotify.cache.lookups: calls the cache handled, by outcome (hit,
//     revalidated, miss).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) error {
		if mp == nil {
			return errors.New("spotify: WithMeterProvider: nil provider")
		}
		c.meterProvider = mp
		return nil
	}
}

// telemetry holds a client's providers and the instruments made from them.
type telemetry struct {
	tp      trace.TracerProvider // nil: the global one, looked up per call
	mp      metric.MeterProvider // nil: the global one, looked up per call
	limiter *ratelimit.Limiter
	server  string
	port    int
	base    string // the base URL's path without its final slash, e.g. "/v1"
	inst    atomic.Pointer[instruments]
}

func newTelemetry(cfg *config, base *urlParts, lim *ratelimit.Limiter) *telemetry {
	return &telemetry{tp: cfg.tracerProvider, mp: cfg.meterProvider, limiter: lim,
		server: base.host, port: base.port, base: base.path}
}

// instruments are made once per pair of providers.
type instruments struct {
	tp         trace.TracerProvider
	mp         metric.MeterProvider
	comparable bool // the providers can be compared with ==
	off        bool // neither provider records anything

	tracer    trace.Tracer // nil when not tracing
	duration  metric.Float64Histogram
	active    metric.Int64UpDownCounter
	waits     metric.Float64Histogram
	throttled metric.Int64Counter
	retries   metric.Int64Counter
	rate      metric.Float64Gauge
	coalesced metric.Int64Counter
	lookups   metric.Int64Counter
}

// current returns the instruments of the providers in force, or nil when
// nothing records.
func (t *telemetry) current() *instruments {
	tp, mp := t.tp, t.mp
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	in := t.inst.Load()
	if in == nil || !in.comparable || in.tp != tp || in.mp != mp {
		in = newInstruments(tp, mp)
		t.inst.Store(in)
	}
	if in.off {
		return nil
	}
	return in
}

// recording reports whether calls are traced or measured now.
func (t *telemetry) recording() bool { return t.current() != nil }

func newInstruments(tp trace.TracerProvider, mp metric.MeterProvider) *instruments {
	in := &instruments{tp: tp, mp: mp,
		comparable: reflect.TypeOf(tp).Comparable() && reflect.TypeOf(mp).Comparable()}
	tracing, metering := recordsTraces(tp), recordsMetrics(mp)
	in.off = !tracing && !metering
	if tracing {
		in.tracer = tp.Tracer(instrumentationName)
	}
	if !metering {
		mp = metricnoop.NewMeterProvider()
	}
	m := mp.Meter(instrumentationName)
	// An instrument that fails to register comes back usable and no-op, so
	// the errors are only worth dropping.
	in.duration, _ = m.Float64Histogram("http.client.request.duration", metric.WithUnit(secondsAdvisory),
		metric.WithDescription("Duration of calls to the Web API."),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	in.active, _ = m.Int64UpDownCounter("http.client.active_requests", metric.WithUnit("{request}"),
		metric.WithDescription("Calls to the Web API in flight."))
	in.waits, _ = m.Float64Histogram("spotify.ratelimit.wait.duration", metric.WithUnit(secondsAdvisory),
		metric.WithDescription("Time calls waited in the rate limiter, by stage."))
	in.throttled, _ = m.Int64Counter("spotify.ratelimit.throttled", metric.WithUnit("{response}"),
		metric.WithDescription("429 Too Many Requests answers."))
	in.retries, _ = m.Int64Counter("spotify.retries", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts made after the first, by reason."))
	in.rate, _ = m.Float64Gauge("spotify.ratelimit.rate", metric.WithUnit("{request}/s"),
		metric.WithDescription("The rate limiter's current pace."))
	in.coalesced, _ = m.Int64Counter("spotify.coalesced", metric.WithUnit("{call}"),
		metric.WithDescription("Calls answered by an identical call's request."))
	in.lookups, _ = m.Int64Counter("spotify.cache.lookups", metric.WithUnit("{call}"),
		metric.WithDescription("Calls the cache handled, by outcome."))
	return in
}

// recordsTraces reports whether tp may record: not a no-op provider, and not
// OpenTelemetry's global default, which records nothing until a provider is
// set (current looks the global up again on every call, so setting one
// later takes effect at once).
func recordsTraces(tp trace.TracerProvider) bool {
	switch tp.(type) {
	case tracenoop.TracerProvider, *tracenoop.TracerProvider:
		return false
	}
	return !globalDefault(tp)
}

func recordsMetrics(mp metric.MeterProvider) bool {
	switch mp.(type) {
	case metricnoop.MeterProvider, *metricnoop.MeterProvider:
		return false
	}
	return !globalDefault(mp)
}

// globalDefault reports whether p is OpenTelemetry's global delegate, the
// provider in force while none has been set.
func globalDefault(p any) bool {
	t := reflect.TypeOf(p)
	return t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "go.opentelemetry.io/otel/internal/global"
}

// telemetryTransport is the outermost layer: it wraps each call in a span
// and records its metrics. It changes nothing about the request but its
// context, which carries the span (so that a transport below, otelhttp's
// for one, nests its spans under it) and the hooks the layers below report
// to. It adds no header: trace context is not sent to Spotify.
type telemetryTransport struct {
	base http.RoundTripper
	tel  *telemetry
}

func (t *telemetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := t.tel.current()
	if in == nil {
		return t.base.RoundTrip(req)
	}
	rec := t.tel.start(in, req)
	resp, err := t.base.RoundTrip(req.WithContext(rec.ctx))
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	rec.end(status, err)
	return resp, err
}

// callRecord is one call being traced and measured.
type callRecord struct {
	tel      *telemetry
	in       *instruments
	ctx      context.Context
	span     trace.Span // nil when not tracing
	start    time.Time
	common   []attribute.KeyValue // method, template, server, operation
	opAttr   attribute.KeyValue
	attempts int
}

type recordKey struct{}

// recordOf returns the call being recorded in ctx, or nil.
func recordOf(ctx context.Context) *callRecord {
	r, _ := ctx.Value(recordKey{}).(*callRecord)
	return r
}

func (t *telemetry) start(in *instruments, req *http.Request) *callRecord {
	op := operationOf(req.Context())
	name, id, template := req.Method, "", ""
	if op != nil {
		id, template = op.id, t.base+op.route
		name = op.method + " " + template
	}
	rec := &callRecord{tel: t, in: in, start: time.Now(), attempts: 1, opAttr: attrOperation.String(id)}
	rec.common = []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(req.Method),
		semconv.ServerAddress(t.server),
		semconv.ServerPort(t.port),
		rec.opAttr,
	}
	if template != "" {
		rec.common = append(rec.common, semconv.URLTemplate(template))
	}
	ctx := req.Context()
	if in.tracer != nil {
		ctx, rec.span = in.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(rec.common...))
	}
	ctx = ratelimit.WithTrace(ctx, &ratelimit.Trace{Waited: rec.waited, RateLimited: rec.rateLimited, Retrying: rec.retrying})
	rec.ctx = context.WithValue(ctx, recordKey{}, rec)
	in.active.Add(rec.ctx, 1, metric.WithAttributes(rec.common...))
	return rec
}

func (r *callRecord) end(status int, err error) {
	attrs := append(make([]attribute.KeyValue, 0, len(r.common)+2), r.common...)
	if status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(status))
	}
	errType := ""
	switch {
	case err != nil:
		errType = errorType(err)
	case status >= 400:
		errType = strconv.Itoa(status)
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	in := r.in
	in.active.Add(r.ctx, -1, metric.WithAttributes(r.common...))
	in.duration.Record(r.ctx, time.Since(r.start).Seconds(), metric.WithAttributes(attrs...))
	if r.tel.limiter != nil {
		if lim := float64(r.tel.limiter.Stats().Limit); !math.IsInf(lim, 0) {
			in.rate.Record(r.ctx, lim)
		}
	}
	if r.span == nil {
		return
	}
	if status != 0 {
		r.span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	}
	r.span.SetAttributes(attrAttempts.Int(r.attempts))
	if errType != "" {
		r.span.SetAttributes(semconv.ErrorTypeKey.String(errType))
		r.span.SetStatus(codes.Error, errType)
	}
	r.span.End()
}

// errorType names a failure to get an answer in a few stable words.
func errorType(err error) string {
	var ge *ratelimit.GateError
	var te *tokenError
	var ne net.Error
	switch {
	case errors.As(err, &ge):
		return "rate_limited"
	case errors.As(err, &te):
		return "token"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return semconv.ErrorTypeOther.Value.AsString()
}

// The ratelimit.Trace hooks.

func (r *callRecord) waited(stage ratelimit.Stage, d time.Duration) {
	r.in.waits.Record(r.ctx, d.Seconds(), metric.WithAttributes(r.opAttr, attrStage.String(string(stage))))
	if r.span != nil {
		r.span.AddEvent("spotify.ratelimit.wait", trace.WithAttributes(
			attrStage.String(string(stage)), attrWait.Float64(d.Seconds())))
	}
}

func (r *callRecord) rateLimited(retryAfter time.Duration) {
	r.in.throttled.Add(r.ctx, 1, metric.WithAttributes(r.opAttr))
	if r.span != nil {
		r.span.AddEvent("spotify.ratelimit.throttled", trace.WithAttributes(
			semconv.HTTPResponseStatusCode(http.StatusTooManyRequests), attrRetryAfter.Float64(retryAfter.Seconds())))
	}
}

func (r *callRecord) retrying(attempt int, reason string, wait time.Duration) {
	r.attempts = attempt
	r.in.retries.Add(r.ctx, 1, metric.WithAttributes(r.opAttr, attrReason.String(reason)))
	if r.span != nil {
		r.span.AddEvent("spotify.retry", trace.WithAttributes(
			attrAttempt.Int(attempt), attrReason.String(reason), attrBackoff.Float64(wait.Seconds())))
	}
}

// coalesced records a call served by another call's request.
func (t *telemetry) coalesced(req *http.Request) {
	r := recordOf(req.Context())
	if r == nil {
		return
	}
	r.attempts = 0
	r.in.coalesced.Add(r.ctx, 1, metric.WithAttributes(r.opAttr))
	if r.span != nil {
		r.span.AddEvent("spotify.coalesced")
	}
}

// cacheOutcome records how the cache answered a call.
func (t *telemetry) cacheOutcome(req *http.Request, o cache.Outcome) {
	r := recordOf(req.Context())
	if r == nil {
		return
	}
	if o == cache.Hit {
		r.attempts = 0
	}
	r.in.lookups.Add(r.ctx, 1, metric.WithAttributes(r.opAttr, attrOutcome.String(o.String())))
	if r.span != nil {
		r.span.AddEvent("spotify.cache", trace.WithAttributes(attrOutcome.String(o.String())))
	}
}

// urlParts is what the semantic conventions want of the base URL.
type urlParts struct {
	host string
	port int
	path string // without its final slash
}

func partsOf(u *url.URL) *urlParts {
	p := &urlParts{host: u.Hostname(), path: strings.TrimSuffix(u.Path, "/")}
	p.port, _ = strconv.Atoi(u.Port())
	if p.port == 0 {
		p.port = 443
		if u.Scheme == "http" {
			p.port = 80
		}
	}
	return p
}
