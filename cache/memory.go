package cache

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// entryOverhead approximates what one kept entry costs beyond its key and
// value: the list node, the map slot and the string and slice headers.
const entryOverhead = 128

// Memory is an in-process [Store] bounded by bytes: when a new entry would
// take it past its bound, the least recently used entries are dropped
// first. Expired entries are dropped when they are read or reached by
// eviction. Safe for concurrent use.
//
// An entry larger than an eighth of the bound is not kept, so that one huge
// answer cannot flush everything else.
type Memory struct {
	mu    sync.Mutex
	max   int64
	used  int64
	items map[string]*memItem
	lru   memItem // sentinel: lru.next is the most recently used
}

type memItem struct {
	key        string
	value      []byte
	expires    time.Time
	prev, next *memItem
}

// NewMemory returns a Memory holding at most maxBytes of keys, values and
// bookkeeping.
func NewMemory(maxBytes int64) (*Memory, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("cache: NewMemory: %d bytes is not positive", maxBytes)
	}
	m := &Memory{max: maxBytes, items: make(map[string]*memItem)}
	m.lru.next, m.lru.prev = &m.lru, &m.lru
	return m, nil
}

// Get implements [Store].
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[key]
	if !ok {
		return nil, false
	}
	if !now.Before(it.expires) {
		m.remove(it)
		return nil, false
	}
	m.unlink(it)
	m.pushFront(it)
	return it.value, true
}

// Set implements [Store].
func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) {
	cost := size(key, value)
	if ttl <= 0 || cost > m.max/8 {
		return
	}
	expires := time.Now().Add(ttl)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.items[key]; ok {
		m.remove(old)
	}
	for m.used+cost > m.max && m.lru.prev != &m.lru {
		m.remove(m.lru.prev)
	}
	it := &memItem{key: key, value: value, expires: expires}
	m.items[key] = it
	m.used += cost
	m.pushFront(it)
}

// Bytes returns how many bytes the kept entries count for.
func (m *Memory) Bytes() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

// Len returns how many entries are kept, expired ones not yet dropped
// included.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

func size(key string, value []byte) int64 {
	return int64(len(key)+len(value)) + entryOverhead
}

func (m *Memory) remove(it *memItem) {
	m.unlink(it)
	delete(m.items, it.key)
	m.used -= size(it.key, it.value)
}

func (m *Memory) unlink(it *memItem) {
	it.prev.next = it.next
	it.next.prev = it.prev
}

func (m *Memory) pushFront(it *memItem) {
	it.prev, it.next = &m.lru, m.lru.next
	m.lru.next.prev = it
	m.lru.next = it
}
