package contract

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	yaml "github.com/oasdiff/yaml3"
)

// TestFactsAreWhatTheGeneratorMakes checks that the committed facts are,
// byte for byte, what `go generate` makes from the full definition. It is
// the one contract test that needs the definition, so it alone skips where
// the definition is not beside the checkout (a fresh clone).
func TestFactsAreWhatTheGeneratorMakes(t *testing.T) {
	dir, err := UpstreamDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, UpstreamOpenAPI)); errors.Is(err, fs.ErrNotExist) && os.Getenv(SpecDirEnv) == "" {
		t.Skipf("the full definition the facts are made from is kept outside the repository and is not at %s: "+
			"the committed facts are compared with it on the machines that have it", dir)
	}
	for _, f := range []struct {
		in, out string
		make    func([]byte) ([]byte, error)
	}{
		{UpstreamOpenAPI, FactsOpenAPIFile, FactsOpenAPI},
		{UpstreamEndpoints, FactsEndpointsFile, FactsEndpoints},
	} {
		src, err := os.ReadFile(filepath.Join(dir, f.in))
		if err != nil {
			t.Fatal(err)
		}
		want, err := f.make(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Facts(f.out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("facts/%s is not what the generator makes from %s: run go generate ./internal/contract", f.out, filepath.Join(dir, f.in))
		}
	}
}

// TestFactsLoadAndValidate checks that the embedded facts are a whole
// OpenAPI document: it loads, validates and has every operation.
func TestFactsLoadAndValidate(t *testing.T) {
	t.Setenv(SpecDirEnv, "")
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the facts do not validate: %v", err)
	}
	if n := len(Operations(doc)); n != 97 {
		t.Errorf("%d operations, want 97", n)
	}
	if n := len(doc.Components.Schemas); n != 90 {
		t.Errorf("%d schemas, want 90", n)
	}
	eps, err := LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 97 {
		t.Errorf("%d endpoints, want 97", len(eps))
	}
}

// TestFactsCarryNoProse checks the embedded copy for prose: no value has
// a space in it (every sentence has), no member is an extension, and
// making facts of the facts changes nothing.
func TestFactsCarryNoProse(t *testing.T) {
	b, err := Facts(FactsOpenAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, path+"[]")
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if strings.HasPrefix(k, "x-") {
					t.Errorf("%s: extension %s", path, k)
				}
				walk(n.Content[i+1], path+"/"+k)
			}
		case yaml.ScalarNode:
			if strings.ContainsFunc(n.Value, unicode.IsSpace) {
				t.Errorf("%s: text %.60q", path, n.Value)
			}
		}
	}
	walk(&doc, "")
	again, err := FactsOpenAPI(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Error("stripping the facts again changes them: prose is left")
	}

	tsv, err := Facts(FactsEndpointsFile)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(tsv), "\n")
	for _, col := range proseColumns {
		if strings.Contains("\t"+header+"\t", "\t"+col+"\t") {
			t.Errorf("endpoints.tsv keeps the column %s", col)
		}
	}
	for n, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n") {
		if strings.Contains(line, " ") && !strings.Contains(line, "(any token)") {
			t.Errorf("endpoints.tsv:%d has text: %.80q", n+1, line)
		}
	}
}

// TestFactsStripProse checks the stripping on a small document: every
// kind of prose goes, and names that look like keywords stay.
func TestFactsStripProse(t *testing.T) {
	src := `openapi: 3.0.3
info:
  title: Somebody's API
  description: Words.
  version: "1"
  contact: {name: someone}
  x-logo: {url: "https://example.com"}
paths:
  /things/{id}:
    get:
      operationId: get-thing
      summary: Get a thing
      description: Long words.
      externalDocs: {url: "https://example.com"}
      parameters:
        - name: id
          in: path
          required: true
          description: The thing's ID.
          example: abc
          schema: {type: string, title: ID}
      responses:
        "200":
          description: A thing.
          content:
            application/json:
              examples: {one: {value: {}}}
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      x-spotify-docs-type: Thing
      required: [description, title]
      properties:
        description: {type: string, description: What it is., example: a thing}
        title: {type: string, enum: [a b, c]}
        properties: {type: object, description: Nested.}
  securitySchemes:
    oauth:
      type: oauth2
      description: OAuth.
      flows:
        clientCredentials:
          tokenUrl: "https://example.com/token"
          scopes: {read: Read your things.}
`
	got, err := FactsOpenAPI([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `openapi: 3.0.3
info:
  version: "1"
  title: spotify-web-api-facts
paths:
  /things/{id}:
    get:
      operationId: get-thing
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
      responses:
        "200":
          description: ""
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [description, title]
      properties:
        description: {type: string}
        title: {type: string, enum: [a b, c]}
        properties: {type: object}
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: "https://example.com/token"
          scopes: {read: ""}
`
	if string(got) != want {
		t.Errorf("stripped:\n%s\nwant:\n%s", got, want)
	}
	tsv, err := FactsEndpoints([]byte("operationId\tsummary\tmethod\nget-thing\tGet a thing\tGET\n"))
	if err != nil || string(tsv) != "operationId\tmethod\nget-thing\tGET\n" {
		t.Errorf("endpoints: %q, %v", tsv, err)
	}
	if _, err := FactsEndpoints([]byte("a\tb\nx\n")); err == nil {
		t.Error("a short row was accepted")
	}
}
