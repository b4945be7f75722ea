package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/spans"
	"github.com/spotflow/spotflow/spotify"
)

// OpenTelemetry: the command exports the client's traces and metrics over
// OTLP/HTTP when the standard variables ask for it
// (OTEL_EXPORTER_OTLP_ENDPOINT, or the _TRACES_ or _METRICS_ one; the
// exporters read the rest, such as headers and protocol, themselves),
// unless OTEL_SDK_DISABLED=true. `demo --trace` also keeps the spans in
// memory and prints a latency table per operation.

// shutdownTimeout bounds the final flush of the exporters.
const shutdownTimeout = 5 * time.Second

// telemetry is what a session records with; the zero value records nothing.
type telemetry struct {
	opts     []spotify.Option
	shutdown []func(context.Context) error
}

// Close flushes and stops the exporters.
func (t *telemetry) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	for _, f := range t.shutdown {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}

// telemetry sets up the providers the environment and table ask for.
// table, when not nil, receives every span.
func (a *app) telemetry(ctx context.Context, table *spans.Table) (*telemetry, error) {
	t := &telemetry{}
	if strings.EqualFold(strings.TrimSpace(a.getenv("OTEL_SDK_DISABLED")), "true") {
		table = nil
	}
	exportTraces := a.otlpFor("TRACES")
	exportMetrics := a.otlpFor("METRICS")
	if table == nil && !exportTraces && !exportMetrics {
		return t, nil
	}
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName("spotflow")),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, err
	}
	if table != nil || exportTraces {
		topts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
		if table != nil {
			topts = append(topts, sdktrace.WithSpanProcessor(table))
		}
		if exportTraces {
			exp, err := otlptracehttp.New(ctx)
			if err != nil {
				return nil, err
			}
			topts = append(topts, sdktrace.WithBatcher(exp))
		}
		tp := sdktrace.NewTracerProvider(topts...)
		t.opts = append(t.opts, spotify.WithTracerProvider(tp))
		t.shutdown = append(t.shutdown, tp.Shutdown)
	}
	if exportMetrics {
		exp, err := otlpmetrichttp.New(ctx)
		if err != nil {
			return nil, err
		}
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
		t.opts = append(t.opts, spotify.WithMeterProvider(mp))
		t.shutdown = append(t.shutdown, mp.Shutdown)
	}
	return t, nil
}

// otlpFor reports whether the environment names an OTLP endpoint for
// signal (TRACES or METRICS).
func (a *app) otlpFor(signal string) bool {
	if strings.EqualFold(strings.TrimSpace(a.getenv("OTEL_SDK_DISABLED")), "true") {
		return false
	}
	return a.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || a.getenv("OTEL_EXPORTER_OTLP_"+signal+"_ENDPOINT") != ""
}
