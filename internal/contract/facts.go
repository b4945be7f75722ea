package contract

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	yaml "github.com/oasdiff/yaml3"
)

// The repository carries the facts of the Web API's OpenAPI definition,
// never its prose. FactsOpenAPI and FactsEndpoints make that copy from the
// full definition; the generator in ./gen writes their output to facts/,
// and TestFactsAreWhatTheGeneratorMakes checks it is current.

// factsTitle replaces info.title, which OpenAPI requires.
const factsTitle = "spotify-web-api-facts"

// proseKeys are the members of an OpenAPI object that hold text for
// people rather than facts for programs. Extensions ("x-...") go too.
var proseKeys = []string{
	"description", "summary", "title", "example", "examples",
	"externalDocs", "termsOfService", "contact",
}

// What the members of a name map hold: a name map's keys are names (paths,
// schema names, property names, status codes, media types, scopes), never
// keywords, so a property called "description" survives.
type holds int

const (
	holdsObjects   holds = iota // each value is an OpenAPI object
	holdsResponses              // each value is a Response object
	holdsProse                  // each value is text (OAuth scopes): blanked
)

// nameMaps are the members of OpenAPI objects whose value is a name map.
var nameMaps = map[string]holds{
	"paths": holdsObjects, "schemas": holdsObjects, "properties": holdsObjects,
	"parameters": holdsObjects, "requestBodies": holdsObjects, "headers": holdsObjects,
	"securitySchemes": holdsObjects, "links": holdsObjects, "callbacks": holdsObjects,
	"content": holdsObjects, "encoding": holdsObjects, "variables": holdsObjects,
	"mapping": holdsObjects, "responses": holdsResponses, "scopes": holdsProse,
}

// opaqueKeys hold values, not OpenAPI objects: they are kept whole.
var opaqueKeys = []string{"enum", "default", "required", "security", "tags"}

// FactsOpenAPI returns the facts of an OpenAPI 3 document in YAML: paths,
// methods, operation IDs, parameters, request and response schemas, types,
// enums, required lists, formats, bounds and references, in the source's
// order. Descriptions, summaries, titles, examples, external docs, contact
// details and every extension are removed; info.title becomes a neutral
// name and a response's required description becomes empty.
func FactsOpenAPI(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("contract: parse the definition: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("contract: the definition is not a YAML mapping")
	}
	root := doc.Content[0]
	stripObject(root, false)
	if info := member(root, "info"); info != nil {
		setMember(info, "title", factsTitle)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("contract: write the facts: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// stripObject removes the prose members of an OpenAPI object and walks
// the rest; response says the object is a Response, whose description
// OpenAPI requires.
func stripObject(n *yaml.Node, response bool) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			stripObject(c, false)
		}
		return
	case yaml.MappingNode:
	default:
		return
	}
	kept := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case response && k.Value == "description":
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "", Style: yaml.DoubleQuotedStyle}
		case strings.HasPrefix(k.Value, "x-") || slices.Contains(proseKeys, k.Value):
			continue
		case slices.Contains(opaqueKeys, k.Value):
		default:
			if h, ok := nameMaps[k.Value]; ok && v.Kind == yaml.MappingNode {
				stripNameMap(v, h)
			} else {
				stripObject(v, false)
			}
		}
		kept = append(kept, k, v)
	}
	clear(n.Content[len(kept):])
	n.Content = kept
}

// stripNameMap keeps every name of a name map and strips its values.
func stripNameMap(n *yaml.Node, h holds) {
	for i := 1; i < len(n.Content); i += 2 {
		v := n.Content[i]
		switch h {
		case holdsProse:
			n.Content[i] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "", Style: yaml.DoubleQuotedStyle}
		case holdsResponses:
			stripObject(v, true)
		default:
			stripObject(v, false)
		}
	}
}

func member(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func setMember(n *yaml.Node, key, value string) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	if old := member(n, key); old != nil {
		*old = *v
		return
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// proseColumns are the columns of endpoints.tsv that hold text for people.
var proseColumns = []string{"summary", "description"}

// FactsEndpoints returns endpoints.tsv without its prose columns (the
// operation's summary); every other column, all facts, is kept in order.
func FactsEndpoints(src []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	if len(lines) < 2 {
		return nil, errors.New("contract: endpoints.tsv has no rows")
	}
	header := strings.Split(lines[0], "\t")
	var keep []int
	for i, name := range header {
		if !slices.Contains(proseColumns, name) {
			keep = append(keep, i)
		}
	}
	var b strings.Builder
	for n, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != len(header) {
			return nil, fmt.Errorf("contract: endpoints.tsv:%d: %d fields, want %d", n+1, len(f), len(header))
		}
		for k, i := range keep {
			if k > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(f[i])
		}
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}
