package contract

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func loadDoc(t *testing.T) *Validator {
	t.Helper()
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(Operations(doc)); n != 97 {
		t.Fatalf("the contract has %d operations, want 97", n)
	}
	v, err := NewValidator(doc, "http://127.0.0.1:1/v1")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidatorFlagsWhatBreaksTheContract(t *testing.T) {
	v := loadDoc(t)
	get := func(path string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/v1"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if c, err := v.Request(get("/nowhere"), nil); c != nil || err == nil {
		t.Errorf("unknown path: got %v, %v; want no operation and an error", c, err)
	}
	c, err := v.Request(get("/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=51"), nil)
	if c == nil || c.Op != "get-an-albums-tracks" || err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("limit 51: got %v, %v; want get-an-albums-tracks and an error about the limit", c, err)
	}
	c, err = v.Request(get("/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=50"), nil)
	if err != nil {
		t.Fatalf("limit 50: %v", err)
	}
	json := http.Header{"Content-Type": {"application/json"}}
	page := `{"href":"h","items":[],"limit":50,"next":null,"offset":0,"previous":null,"total":0}`
	if err := v.Response(c, http.StatusOK, json, []byte(page)); err != nil {
		t.Errorf("a valid page: %v", err)
	}
	if err := v.Response(c, http.StatusOK, json, []byte(`{"items":"none"}`)); err == nil {
		t.Error("a page whose items are a string validated")
	}
	if err := v.Response(c, http.StatusTeapot, json, []byte(`{}`)); err == nil {
		t.Error("a status the operation does not declare validated")
	}
}

func TestLoadEndpoints(t *testing.T) {
	eps, err := LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 97 {
		t.Fatalf("%d endpoints, want 97", len(eps))
	}
	byOp := map[string]Endpoint{}
	for _, e := range eps {
		byOp[e.Op] = e
	}
	albums := byOp["get-multiple-albums"]
	if albums.Method != "GET" || albums.Path != "/albums" || albums.IDsMax != 20 || len(albums.Scopes) != 0 ||
		!albums.Deprecated || albums.DeprecatedSince != "2026-02-08" {
		t.Errorf("get-multiple-albums: %+v", albums)
	}
	save := byOp["save-library-items"]
	if save.URIsMax != 40 || len(save.Scopes) != 3 || save.Deprecated {
		t.Errorf("save-library-items: %+v", save)
	}
	search := byOp["search"]
	if search.LimitMax != 10 || search.LimitDefault != 5 {
		t.Errorf("search: %+v", search)
	}
}

// TestTransportPassesThroughAndRecords checks that checking changes
// nothing the client sends or gets, and that a broken answer is recorded.
func TestTransportPassesThroughAndRecords(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"snapshot_id":7}`) // a number where the contract wants a string
	}))
	defer srv.Close()
	v, err := NewValidator(doc, srv.URL+"/v1")
	if err != nil {
		t.Fatal(err)
	}
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	tr := &Transport{Base: base, Validator: v}
	body := `{"uris":["spotify:track:4iV5W9uYEdYUVa79Axb7Rh"]}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if gotBody != body || string(answer) != `{"snapshot_id":7}` {
		t.Errorf("passed through %q and answered %q", gotBody, answer)
	}
	exs := tr.Take()
	if len(exs) != 1 || exs[0].Op != "add-items-to-playlist" || exs[0].Status != http.StatusCreated {
		t.Fatalf("exchanges %+v", exs)
	}
	if exs[0].Err == nil || !strings.Contains(exs[0].Err.Error(), `"/snapshot_id": value must be a string`) {
		t.Errorf("the broken answer was not flagged: %v", exs[0].Err)
	}
	if more := tr.Take(); len(more) != 0 {
		t.Errorf("Take kept %d exchanges", len(more))
	}
}
