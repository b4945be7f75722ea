package spotify

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/spotflow/spotflow/models"
)

// getMany looks ids up through op, a batch endpoint (path?ids=a,b,c), maxIDs at a
// time, one chunk after another. The answer's array under key is returned in
// input order, with nil where Spotify answered null for an unknown ID;
// duplicates are looked up and returned as often as they were given.
//
// Spotify answers one entry per ID asked, in order. An answer with more is
// refused before the extra entries are decoded; one with fewer, or with an
// entry that is not the object asked for at its place, cannot be lined up
// with the IDs: both are errors matching ErrInvalidReply.
func getMany[T any](ctx context.Context, c *Client, op *operation, path, key string, ids []string, kind models.Kind, maxIDs int, q query) ([]*T, error) {
	parsed, err := parseIDs(ids, kind)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(parsed))
	for _, chunk := range chunks(parsed, maxIDs) {
		q := cloneQuery(q)
		q.set("ids", strings.Join(chunk, ","))
		var got []*T
		if err := c.get(ctx, op, path, q.values(), models.Members(map[string]any{key: models.ListWithin(&got, len(chunk))})); err != nil {
			return nil, err
		}
		if len(got) != len(chunk) {
			return nil, invalidReply(op, path, fmt.Sprintf("%d entries for %d IDs asked", len(got), len(chunk)))
		}
		for i, v := range got {
			if v == nil {
				continue
			}
			if msg := checkObject(v, chunk[i]); msg != "" {
				return nil, invalidReply(op, path, fmt.Sprintf("entry %d: %s", i, msg))
			}
		}
		out = append(out, got...)
	}
	return out, nil
}

// changeSaved saves or removes (as op does) ids in the user's library at
// path, maxIDs per request, in input order.
func changeSaved(ctx context.Context, c *Client, op *operation, path string, ids []string, kind models.Kind, maxIDs int) error {
	parsed, err := parseIDs(ids, kind)
	if err != nil {
		return err
	}
	for _, chunk := range chunks(parsed, maxIDs) {
		if err := c.send(ctx, op, path, nil, map[string][]string{"ids": chunk}, nil); err != nil {
			return err
		}
	}
	return nil
}

// containsSaved asks path/contains (op) whether each of ids is saved, maxIDs per
// request; the answer lines up with ids.
func containsSaved(ctx context.Context, c *Client, op *operation, path string, ids []string, kind models.Kind, maxIDs int) ([]bool, error) {
	return containsQuery(ctx, c, op, path+"/contains", "ids", ids, func(s string) (string, error) {
		return parseID(s, kind)
	}, maxIDs)
}

// containsQuery asks op, a contains endpoint, about values, sent as key=a,b,c,
// maxN per request, after checking each with parse. An answer that is not
// one boolean per value asked is an error matching ErrInvalidReply.
func containsQuery(ctx context.Context, c *Client, op *operation, path, key string, values []string, parse func(string) (string, error), maxN int) ([]bool, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: no %s given", ErrInvalidInput, key)
	}
	parsed := make([]string, len(values))
	for i, v := range values {
		p, err := parse(v)
		if err != nil {
			return nil, err
		}
		parsed[i] = p
	}
	out := make([]bool, 0, len(parsed))
	for _, chunk := range chunks(parsed, maxN) {
		var got []bool
		if err := c.get(ctx, op, path, url.Values{key: {strings.Join(chunk, ",")}}, models.ListWithin(&got, len(chunk))); err != nil {
			return nil, err
		}
		if len(got) != len(chunk) {
			return nil, invalidReply(op, path, fmt.Sprintf("%d answers for %d %s asked", len(got), len(chunk), key))
		}
		out = append(out, got...)
	}
	return out, nil
}

func cloneQuery(q query) query {
	out := make(query, len(q)+1)
	for k, v := range q {
		out[k] = v
	}
	return out
}

// changeSavedQuery saves or removes (as op does) ids at path, maxIDs per
// request, in input order. Unlike changeSaved it sends them as the ids query
// parameter, which the contract declares required for these endpoints (a
// body's ids are ignored when the query has them); extra, if any, is added
// to every request.
func changeSavedQuery(ctx context.Context, c *Client, op *operation, path string, ids []string, kind models.Kind, maxIDs int, extra query) error {
	parsed, err := parseIDs(ids, kind)
	if err != nil {
		return err
	}
	for _, chunk := range chunks(parsed, maxIDs) {
		q := cloneQuery(extra)
		q.set("ids", strings.Join(chunk, ","))
		if err := c.send(ctx, op, path, q.values(), nil, nil); err != nil {
			return err
		}
	}
	return nil
}
