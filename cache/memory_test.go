package cache

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestMemoryBoundedByBytes(t *testing.T) {
	ctx := context.Background()
	v := []byte(strings.Repeat("v", 1000))
	per := size("k0", v)
	m, err := NewMemory(10 * per)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		m.Set(ctx, "k"+strconv.Itoa(i), v, time.Hour)
	}
	m.Get(ctx, "k0") // now the most recently used
	m.Set(ctx, "kA", v, time.Hour)
	if m.Bytes() > m.max || m.Len() != 10 {
		t.Errorf("%d entries, %d bytes kept, bound %d", m.Len(), m.Bytes(), m.max)
	}
	if _, ok := m.Get(ctx, "k0"); !ok {
		t.Error("the most recently read entry was evicted")
	}
	if _, ok := m.Get(ctx, "k1"); ok {
		t.Error("the least recently used entry is still there")
	}
	if _, ok := m.Get(ctx, "kA"); !ok {
		t.Error("the newest entry is gone")
	}
	m.Set(ctx, "huge", make([]byte, m.max/4), time.Hour)
	if _, ok := m.Get(ctx, "huge"); ok {
		t.Error("an entry over an eighth of the bound was kept")
	}
	if _, err := NewMemory(0); err == nil {
		t.Error("NewMemory(0) accepted")
	}
}

func TestMemoryExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		m, _ := NewMemory(1 << 20)
		m.Set(ctx, "a", []byte("x"), time.Minute)
		m.Set(ctx, "b", []byte("x"), 0) // refused
		time.Sleep(59 * time.Second)
		if _, ok := m.Get(ctx, "a"); !ok {
			t.Error("expired early")
		}
		time.Sleep(time.Second)
		if _, ok := m.Get(ctx, "a"); ok {
			t.Error("served after its TTL")
		}
		if m.Len() != 0 || m.Bytes() != 0 {
			t.Errorf("%d entries, %d bytes left", m.Len(), m.Bytes())
		}
	})
}

func TestMemoryConcurrent(t *testing.T) {
	ctx := context.Background()
	m, _ := NewMemory(64 << 10)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				k := strconv.Itoa((g*7 + i) % 300)
				if v, ok := m.Get(ctx, k); ok && string(v) != k {
					t.Errorf("key %s holds %s", k, v)
					return
				}
				m.Set(ctx, k, []byte(k), time.Hour)
			}
		})
	}
	wg.Wait()
	if m.Bytes() > m.max {
		t.Errorf("%d bytes over the bound %d", m.Bytes(), m.max)
	}
}
