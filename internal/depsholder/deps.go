// Package depsholder pins dependencies while the packages that use them are
// being written. It is removed once they import them directly.
package depsholder

import (
	_ "github.com/cenkalti/backoff/v4"
	_ "github.com/creack/pty"
	_ "github.com/getkin/kin-openapi/openapi3filter"
	_ "github.com/getkin/kin-openapi/routers/gorillamux"
	_ "github.com/go-json-experiment/json"
	_ "github.com/spf13/cobra"
	_ "github.com/vbauerster/mpb/v8"
	_ "go.uber.org/goleak"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/sync/singleflight"
	_ "golang.org/x/time/rate"
)
