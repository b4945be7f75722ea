package spotify

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// CategoriesService calls the browse categories endpoints.
type CategoriesService service

// CategoryOptions selects the language of a category lookup.
type CategoryOptions struct {
	// Locale is an ISO 639-1 language code and an ISO 3166-1 alpha-2
	// country code joined by an underscore, e.g. "es_MX"; names come in
	// that language when Spotify has it, in American English otherwise.
	Locale string
}

// CategoryListOptions selects a page of browse categories.
type CategoryListOptions struct {
	ListOptions        // Limit at most 50
	Locale      string // see CategoryOptions
}

var opGetACategory = &operation{id: "get-a-category", method: http.MethodGet, route: "/browse/categories/{category_id}"}

// Get returns one browse category, by its category ID (e.g. "dinner" or
// "0JQ5DAqbMKFQ00XGBls6ym").
//
//   - Endpoint: GET /v1/browse/categories/{category_id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one category per request.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-a-category
func (s *CategoriesService) Get(ctx context.Context, id string, opts *CategoryOptions) (*models.Category, error) {
	pid, err := checkCategoryID(id)
	if err != nil {
		return nil, err
	}
	q := query{}
	if err := q.locale(derefOr(opts).Locale); err != nil {
		return nil, err
	}
	cat := new(models.Category)
	if err := s.c.get(ctx, opGetACategory, "browse/categories/"+pid, q.values(), cat); err != nil {
		return nil, err
	}
	if msg := checkObject(cat, ""); msg != "" {
		return nil, invalidReply(opGetACategory, "browse/categories/"+pid, msg)
	}
	return cat, nil
}

var opGetCategories = &operation{id: "get-categories", method: http.MethodGet, route: "/browse/categories"}

// List returns one page of the browse categories.
//
//   - Endpoint: GET /v1/browse/categories
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page, default 20.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-categories
func (s *CategoriesService) List(ctx context.Context, opts *CategoryListOptions) (*models.Page[models.Category], error) {
	o := derefOr(opts)
	q := query{}
	if err := q.locale(o.Locale); err != nil {
		return nil, err
	}
	return getWrappedPage[models.Category](ctx, s.c, opGetCategories, "browse/categories", "categories", q, o.ListOptions, 50)
}

// ListAll iterates over every browse category from opts.Offset on, fetching
// pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/browse/categories, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page.
//
// Deprecated: as [CategoriesService.List]: deprecated on 2026-02-08 and
// removed for Development Mode apps.
func (s *CategoriesService) ListAll(ctx context.Context, opts *CategoryListOptions) iter.Seq2[models.Category, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[models.Category], error) {
		o.Offset = offset
		return s.List(ctx, &o)
	}, walkOptions(opGetCategories, o.Limit)...)
}

// checkCategoryID checks a browse category ID. Category IDs are words ("dinner")
// or base62 strings, so anything beyond letters, digits, '_' and '-' is
// refused rather than escaped.
func checkCategoryID(s string) (string, error) {
	if s == "" || len(s) > 64 {
		return "", &inputError{fmt.Errorf("%w: category ID %q is empty or too long", models.ErrInvalidID, s)}
	}
	for _, r := range s {
		if !isASCIIAlnum(r) && r != '_' && r != '-' {
			return "", &inputError{fmt.Errorf("%w: category ID %q has a character other than letters, digits, '_' and '-'", models.ErrInvalidID, s)}
		}
	}
	return s, nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// locale adds a locale after checking its shape: a lowercase language code
// of two or three letters, optionally followed by '_' and an uppercase
// country code ("es", "es_MX").
func (q query) locale(l string) error {
	if l == "" {
		return nil
	}
	lang, country, hasCountry := strings.Cut(l, "_")
	ok := len(lang) >= 2 && len(lang) <= 3 && bytesBetween(lang, 'a', 'z')
	if hasCountry {
		ok = ok && len(country) == 2 && bytesBetween(country, 'A', 'Z')
	}
	if !ok {
		return fmt.Errorf("%w: locale %q is not of the form es_MX", ErrInvalidInput, l)
	}
	q.set("locale", l)
	return nil
}

func bytesBetween(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}
