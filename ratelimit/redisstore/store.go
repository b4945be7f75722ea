package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/ratelimit"
)

// Defaults of the options.
const (
	// DefaultTimeout bounds each call to Redis, within the caller's
	// context: a request waits at most this long for Redis before its
	// process paces on its own.
	DefaultTimeout = 100 * time.Millisecond
	// DefaultHeartbeat is how often a store tells Redis its process is
	// alive (besides every lease) and looks at the shared state; a replica
	// silent for three times as long is no longer counted.
	DefaultHeartbeat = time.Second
	// DefaultRetry is how often a store that lost Redis tries it again.
	DefaultRetry = 250 * time.Millisecond
	// RateTTL is how long Redis keeps a learned rate that no one updates:
	// processes started within it begin at the rate the app learned.
	RateTTL = 24 * time.Hour
)

// probeLease bounds how long a replica may hold the gate's probe: one
// that dies holding it does not stop the others for longer.
const probeLease = 30 * time.Second

// Store is a [ratelimit.Store] in Redis, shared by every process of one
// Spotify app. Make one per process with [New] and pass it to each of the
// process's Limiters of that app with [ratelimit.WithStore]. Its methods
// are safe for concurrent use; [Store.Close] stops its background work.
type Store struct {
	rdb       redis.UniversalClient
	keys      []string
	channel   string
	id        string
	timeout   time.Duration
	heartbeat time.Duration
	retry     time.Duration
	log       *slog.Logger

	// The local copy of the shared state, as of the last answer of Redis
	// or message on the channel.
	offset    atomic.Int64 // Redis's clock minus ours, µs
	clockMu   sync.Mutex
	bestRTT   time.Duration // of the call the offset comes from
	bestAt    time.Time
	gateUntil atomic.Int64 // Unix ns on our clock
	probing   atomic.Bool
	replicas  atomic.Int32
	sent      atomic.Int64 // requests per second the app sent
	rateMu    sync.Mutex
	rate      ratelimit.RateState

	// When Redis cannot be reached, the process paces on its own, at its
	// share of the last known rate, in local.
	healthy  atomic.Bool
	local    *ratelimit.MemoryStore
	probeOut atomic.Bool // this process holds the probe in Redis

	// sendsMu guards sends, the requests this process sent (Unix µs)
	// that the log in Redis has not been given yet.
	sendsMu sync.Mutex
	sends   []int64

	calls, failures, fallbacks, rejoins atomic.Int64
	rejoinedAt, lostAt                  atomic.Int64 // Unix ns

	stop    chan struct{}
	done    chan struct{}
	closeMu sync.Once
}

var _ ratelimit.Store = (*Store)(nil)

// Option configures a [Store].
type Option func(*Store) error

// WithTimeout bounds each call to Redis (default [DefaultTimeout]).
func WithTimeout(d time.Duration) Option {
	return func(s *Store) error {
		if d <= 0 {
			return fmt.Errorf("redisstore: WithTimeout: must be positive, got %s", d)
		}
		s.timeout = d
		return nil
	}
}

// WithHeartbeat sets how often the store beats its heartbeat and reads the
// shared state when idle (default [DefaultHeartbeat]).
func WithHeartbeat(d time.Duration) Option {
	return func(s *Store) error {
		if d <= 0 {
			return fmt.Errorf("redisstore: WithHeartbeat: must be positive, got %s", d)
		}
		s.heartbeat = d
		return nil
	}
}

// WithRetry sets how often a store that lost Redis tries it again
// (default [DefaultRetry]).
func WithRetry(d time.Duration) Option {
	return func(s *Store) error {
		if d <= 0 {
			return fmt.Errorf("redisstore: WithRetry: must be positive, got %s", d)
		}
		s.retry = d
		return nil
	}
}

// WithLogger logs losing and rejoining Redis; nil turns logging off.
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) error {
		s.log = l
		return nil
	}
}

// New returns a Store keeping the state of the app clientID in rdb, under
// keys that start with "spotflow:{clientID}:rl:" (the braces keep them in
// one slot of a Redis Cluster). It reads the shared state once, within
// ctx, and then keeps its local copy fresh in the background until Close.
// A Redis that cannot be reached is no error: the store starts on its own
// and joins when Redis answers.
//
// Give rdb ContextTimeoutEnabled (as [NewClient] does): without it go-redis
// ignores the short deadlines the store sets, and a Redis that hangs holds
// a request until the client's ReadTimeout.
func New(ctx context.Context, rdb redis.UniversalClient, clientID string, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: nil Redis client")
	}
	if clientID == "" || len(clientID) > 256 || strings.ContainsAny(clientID, "{} \t\r\n") {
		return nil, errors.New("redisstore: the client ID must be 1 to 256 characters without braces or spaces")
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	prefix := "spotflow:{" + clientID + "}:rl:"
	s := &Store{
		rdb: rdb,
		keys: []string{prefix + "gate", prefix + "probe", prefix + "bucket", prefix + "rate", prefix + "replicas",
			prefix + "sent", prefix + "log"},
		channel:   prefix + "events",
		id:        hex.EncodeToString(id),
		timeout:   DefaultTimeout,
		heartbeat: DefaultHeartbeat,
		retry:     DefaultRetry,
		local:     ratelimit.NewMemoryStore(),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("redisstore: option %d is nil", i)
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	s.replicas.Store(1)
	s.healthy.Store(true)
	if _, err := s.run(ctx, takeScript, s.takeArgs(0, ratelimit.Pace{})...); err != nil {
		s.logAttrs(slog.LevelWarn, "redisstore: Redis not reachable; pacing on our own until it is")
	}
	go s.background()
	return s, nil
}

// Close stops the store's background work. The store still answers, on its
// own, afterwards. It does not close the Redis client.
func (s *Store) Close() error {
	s.closeMu.Do(func() {
		close(s.stop)
		<-s.done
	})
	return nil
}

// Stats is a snapshot of a Store's counters.
type Stats struct {
	Calls      int64     // calls made to Redis
	Failures   int64     // calls that failed or timed out
	Fallbacks  int64     // leases granted on our own while Redis was away
	Rejoins    int64     // times the store found Redis again after losing it
	Healthy    bool      // whether the store is on the shared state now
	Replicas   int       // processes of the app that beat a heartbeat lately
	LostAt     time.Time // when Redis was last lost; zero if never
	RejoinedAt time.Time // when the store last found Redis again; zero if never
}

// Stats returns a snapshot of the counters.
func (s *Store) Stats() Stats {
	st := Stats{
		Calls: s.calls.Load(), Failures: s.failures.Load(), Fallbacks: s.fallbacks.Load(),
		Rejoins: s.rejoins.Load(), Healthy: s.healthy.Load(), Replicas: int(s.replicas.Load()),
	}
	if n := s.lostAt.Load(); n != 0 {
		st.LostAt = time.Unix(0, n)
	}
	if n := s.rejoinedAt.Load(); n != 0 {
		st.RejoinedAt = time.Unix(0, n)
	}
	return st
}

// GateUntil implements [ratelimit.Store] from the local copy.
func (s *Store) GateUntil(ctx context.Context) time.Time {
	n := max(s.gateUntil.Load(), s.local.GateUntil(ctx).UnixNano())
	if n <= 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// CloseGate implements [ratelimit.Store]: at once in the process, and in
// Redis, which tells the other processes.
func (s *Store) CloseGate(ctx context.Context, until time.Time) {
	s.local.CloseGate(ctx, until)
	if s.healthy.Load() {
		_, _ = s.run(ctx, closeScript, s.channel, time.Until(until).Microseconds())
	}
}

// CloseGateFloor implements [ratelimit.Store].
func (s *Store) CloseGateFloor(ctx context.Context, sent, now time.Time) time.Time {
	if s.healthy.Load() {
		if _, err := s.run(ctx, floorScript, s.channel, now.Sub(sent).Microseconds(),
			ratelimit.DefaultRetryAfter.Microseconds(), ratelimit.MaxGateFloor.Microseconds()); err == nil {
			return s.GateUntil(ctx)
		}
	}
	s.local.CloseGateFloor(ctx, sent, now)
	return s.GateUntil(ctx)
}

// Probing implements [ratelimit.Store] from the local copy.
func (s *Store) Probing(ctx context.Context) bool {
	if s.healthy.Load() {
		return s.probing.Load()
	}
	return s.local.Probing(ctx)
}

// TryProbe implements [ratelimit.Store]: one process of the app at a time
// holds the probe.
func (s *Store) TryProbe(ctx context.Context) bool {
	if !s.probeOut.CompareAndSwap(false, true) {
		return false // this process's probe is out
	}
	if s.healthy.Load() {
		v, err := s.run(ctx, probeScript, s.channel, s.id, probeLease.Milliseconds())
		if err == nil {
			if v.flag != 1 {
				s.probeOut.Store(false)
			}
			return v.flag == 1
		}
	}
	s.probeOut.Store(false)
	return s.local.TryProbe(ctx)
}

// EndProbe implements [ratelimit.Store].
func (s *Store) EndProbe(ctx context.Context, ok bool) {
	s.local.EndProbe(ctx, ok)
	if !s.probeOut.CompareAndSwap(true, false) {
		return
	}
	flag := "0"
	if ok {
		flag = "1"
	}
	if s.healthy.Load() {
		_, _ = s.run(ctx, endProbeScript, s.channel, s.id, flag)
	}
}

// Take implements [ratelimit.Store]: slots of the app's bucket in Redis,
// or, while Redis is away, of a local bucket paced at this process's share
// of the rate.
func (s *Store) Take(ctx context.Context, n int, p ratelimit.Pace) ratelimit.Lease {
	if s.healthy.Load() {
		if v, err := s.run(ctx, takeScript, s.takeArgs(n, p)...); err == nil {
			return ratelimit.Lease{
				N: n, Start: v.local(v.now), Base: v.local(v.base), Interval: p.Interval,
				Tolerance: time.Duration(max(p.Burst, 1)-1) * p.Interval, Epoch: p.Epoch,
			}
		}
	}
	s.fallbacks.Add(1)
	share := p
	share.Interval *= time.Duration(s.Replicas())
	l := s.local.Take(ctx, n, share)
	l.Epoch = p.Epoch
	return l
}

func (s *Store) takeArgs(n int, p ratelimit.Pace) []any {
	var startAgo int64
	if !p.EpochStart.IsZero() {
		startAgo = time.Since(p.EpochStart).Microseconds()
	}
	return append([]any{s.channel, s.id, (3 * s.heartbeat).Milliseconds(), n, p.Interval.Microseconds(),
		max(p.Burst, 1), p.Epoch, startAgo, max(p.Late, 0).Microseconds()}, s.logArgs()...)
}

// Rate implements [ratelimit.Store] from the local copy.
func (s *Store) Rate(context.Context) ratelimit.RateState {
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	return s.rate
}

// SwapRate implements [ratelimit.Store]. While Redis is away it swaps the
// local copy, which Redis gets back if it lost its own.
func (s *Store) SwapRate(ctx context.Context, old, next ratelimit.RateState) (ratelimit.RateState, bool) {
	if s.healthy.Load() {
		cut := "0"
		if !next.LastCut.Equal(old.LastCut) {
			cut = "1"
		}
		v, err := s.run(ctx, swapScript, s.channel, old.Version, milli(next.Limit), ago(next.LastCut),
			milli(next.LastMax), next.Epoch, ago(next.EpochStart), RateTTL.Milliseconds(), cut,
			next.WindowN, next.Window.Microseconds())
		if err == nil {
			return s.Rate(ctx), v.flag == 1
		}
	}
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	if s.rate.Version != old.Version {
		return s.rate, false
	}
	next.Version = old.Version + 1
	s.rate = next
	return s.rate, true
}

// Sent implements [ratelimit.Store]: the slots of the app's bucket that
// fell due in the last second, as of the last answer of Redis; while Redis
// is away, none.
func (s *Store) Sent(context.Context) (rate.Limit, bool) {
	if !s.healthy.Load() {
		return 0, false
	}
	return rate.Limit(s.sent.Load()), true
}

// Replicas returns the processes whose heartbeat Redis saw lately, as of
// its last answer (at least 1).
func (s *Store) Replicas() int { return int(max(s.replicas.Load(), 1)) }

// milli is r in thousandths of a request per second, as Redis keeps it.
func milli(r rate.Limit) int64 { return int64(float64(r)*1000 + 0.5) }

// ago is how long before now t was, in µs; -1 for the zero time.
func ago(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return time.Since(t).Microseconds()
}

// view is a script's answer: its flag and the shared state.
type view struct {
	flag                       int64
	now, base                  int64 // Redis's clock, µs
	gateUntil                  int64
	probing                    bool
	replicas                   int64
	limit, lastCut, lastMax    int64
	epoch, epochStart, version int64
	sent                       int64 // requests per second, over the last second
	windowN, window            int64 // the inferred window: n per span (µs)
	offset                     int64 // Redis's clock minus ours, µs
}

// local maps an instant of Redis's clock onto ours.
func (v view) local(us int64) time.Time { return time.UnixMicro(us - v.offset) }

// run calls a script within the store's timeout, adopts the view it
// returns and reports Redis lost on failure.
func (s *Store) run(ctx context.Context, sc *redis.Script, args ...any) (view, error) {
	v, err := s.call(ctx, sc, args...)
	if err != nil {
		s.lost(err)
	}
	return v, err
}

// call is run without the bookkeeping of health.
func (s *Store) call(ctx context.Context, sc *redis.Script, args ...any) (view, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	s.calls.Add(1)
	sent := time.Now()
	res, err := sc.Run(ctx, s.rdb, s.keys, args...).Int64Slice()
	if err == nil && len(res) != viewFields {
		err = fmt.Errorf("redisstore: a script answered %d fields, want %d", len(res), viewFields)
	}
	if err != nil {
		s.failures.Add(1)
		return view{}, err
	}
	v := parse(res, s.clock(sent, time.Now(), res[1]))
	s.adopt(v)
	return v, nil
}

// clock updates the estimate of Redis's clock minus ours from a call sent
// at sent and answered at got, when Redis read its clock at redisNow (µs),
// and returns it. Redis read it somewhere within the round trip, so the
// estimate is off by up to half of it: the estimate of the quickest recent
// round trip is kept.
func (s *Store) clock(sent, got time.Time, redisNow int64) int64 {
	rtt := got.Sub(sent)
	offset := redisNow - sent.Add(rtt/2).UnixMicro()
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	if rtt <= s.bestRTT*3/2 || got.Sub(s.bestAt) > clockKeep || s.bestAt.IsZero() {
		s.bestRTT, s.bestAt = rtt, got
		s.offset.Store(offset)
	}
	return s.offset.Load()
}

// clockKeep is how long the clock estimate of a quick round trip is kept
// over those of slower ones.
const clockKeep = 5 * time.Second

func parse(f []int64, offset int64) view {
	return view{flag: f[0], now: f[1], base: f[2], gateUntil: f[3], probing: f[4] == 1, replicas: f[5],
		limit: f[6], lastCut: f[7], lastMax: f[8], epoch: f[9], epochStart: f[10], version: f[11], sent: f[12],
		windowN: f[13], window: f[14],
		offset: offset}
}

// adopt makes v the local copy of the shared state.
func (s *Store) adopt(v view) {
	if v.gateUntil > 0 {
		u := v.local(v.gateUntil).UnixNano()
		for {
			cur := s.gateUntil.Load()
			if u <= cur || s.gateUntil.CompareAndSwap(cur, u) {
				break
			}
		}
	}
	s.probing.Store(v.probing)
	s.replicas.Store(int32(max(v.replicas, 1)))
	s.sent.Store(v.sent)
	if v.version < 0 {
		return // Redis holds no rate (it lost it, or none was learned): keep ours
	}
	st := ratelimit.RateState{
		Limit: rate.Limit(float64(v.limit) / 1000), LastMax: rate.Limit(float64(v.lastMax) / 1000),
		Epoch: uint64(v.epoch), Version: uint64(v.version),
		WindowN: int(v.windowN), Window: time.Duration(v.window) * time.Microsecond,
	}
	if v.lastCut > 0 {
		st.LastCut = v.local(v.lastCut)
	}
	if v.epochStart > 0 {
		st.EpochStart = v.local(v.epochStart)
	}
	s.rateMu.Lock()
	s.rate = st
	s.rateMu.Unlock()
}

// lost marks Redis away after a failed call.
func (s *Store) lost(err error) {
	if s.healthy.CompareAndSwap(true, false) {
		s.lostAt.Store(time.Now().UnixNano())
		s.logAttrs(slog.LevelWarn, "redisstore: Redis lost; pacing on our own share",
			slog.Int("replicas", int(s.replicas.Load())), slog.String("error", errKind(err)))
	}
}

// background keeps the local copy fresh: it listens on the channel, beats
// the heartbeat when no lease did, and tries Redis again when lost.
func (s *Store) background() {
	defer close(s.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := s.rdb.Subscribe(ctx, s.channel)
	defer sub.Close()
	msgs := sub.Channel(redis.WithChannelHealthCheckInterval(s.heartbeat))
	t := time.NewTimer(s.heartbeat)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			s.message(m.Payload)
		case <-t.C:
			s.beat(ctx)
			if s.healthy.Load() {
				t.Reset(s.heartbeat)
			} else {
				t.Reset(s.retry)
			}
		}
	}
}

// message adopts the state published by another process.
func (s *Store) message(payload string) {
	parts := strings.Split(payload, ",")
	if len(parts) != viewFields {
		return
	}
	f := make([]int64, viewFields)
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return
		}
		f[i] = n
	}
	if s.healthy.Load() {
		v := parse(f, s.offset.Load())
		s.adopt(v)
		if v.flag == 2 && v.gateUntil > v.now {
			// The gate closed: an adaptive Limiter that met the 429 is
			// about to read the log (see Sends).
			s.flushSends(context.Background())
		}
	}
}

// beat beats the heartbeat and reads the shared state; after Redis was
// lost, a success rejoins it: the gate this process closed meanwhile and
// the rate it learned are given to Redis if it holds later or none.
func (s *Store) beat(ctx context.Context) {
	v, err := s.call(ctx, takeScript, s.takeArgs(0, ratelimit.Pace{})...)
	if err != nil {
		s.lost(err)
		return
	}
	if s.healthy.Load() {
		return
	}
	now := time.Now()
	if until := s.local.GateUntil(ctx); until.After(now) && until.After(v.local(v.gateUntil)) {
		_, _ = s.call(ctx, closeScript, s.channel, until.Sub(now).Microseconds())
	}
	if v.version < 0 {
		if st := s.Rate(ctx); st.Limit > 0 {
			_, _ = s.call(ctx, swapScript, s.channel, st.Version, milli(st.Limit), ago(st.LastCut),
				milli(st.LastMax), st.Epoch, ago(st.EpochStart), RateTTL.Milliseconds(), "1",
				st.WindowN, st.Window.Microseconds())
		}
	}
	s.rejoins.Add(1)
	s.rejoinedAt.Store(now.UnixNano())
	s.healthy.Store(true)
	s.logAttrs(slog.LevelInfo, "redisstore: Redis back; on the shared budget again")
}

func (s *Store) logAttrs(level slog.Level, msg string, attrs ...slog.Attr) {
	if s.log != nil {
		s.log.LogAttrs(context.Background(), level, msg, attrs...)
	}
}

// errKind names a failure for logs without quoting Redis's text.
func errKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, redis.Nil):
		return "nil"
	}
	var re redis.Error
	if errors.As(err, &re) {
		return "redis error"
	}
	return "network"
}

// The log of requests sent that Sends reads: the last logSize batches,
// kept for logTTL after the last one. Each process adds what it sent to
// every call that leases slots, and at once when the gate closes.
const (
	logSize = 4096
	logTTL  = 2 * time.Minute
	// maxBatch bounds the requests a process keeps for the log between
	// two calls: past it, the oldest are dropped.
	maxBatch = 1024
	// censusWait is how long Sends waits for the other processes to give
	// the log what they sent before a 429 closed the gate (they do on the
	// message that tells them).
	censusWait = 150 * time.Millisecond
)

// RecordSend implements [ratelimit.Store]: the request goes to the log
// with this process's next call to Redis.
func (s *Store) RecordSend(at time.Time) {
	s.sendsMu.Lock()
	defer s.sendsMu.Unlock()
	if len(s.sends) == maxBatch {
		s.sends = s.sends[:copy(s.sends, s.sends[1:])]
	}
	s.sends = append(s.sends, at.UnixMicro())
}

// logArgs takes the requests waiting for the log and returns the three
// arguments of logSends.
func (s *Store) logArgs() []any {
	s.sendsMu.Lock()
	batch := s.sends
	s.sends = nil
	s.sendsMu.Unlock()
	var b strings.Builder
	now := time.Now().UnixMicro()
	for i, t := range batch {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(max(now-t, 0), 10))
	}
	return []any{b.String(), logSize, logTTL.Milliseconds()}
}

// flushSends gives the log what this process sent since its last call.
func (s *Store) flushSends(ctx context.Context) {
	s.sendsMu.Lock()
	empty := len(s.sends) == 0
	s.sendsMu.Unlock()
	if !empty && s.healthy.Load() {
		_, _ = s.run(ctx, logScript, append([]any{s.channel}, s.logArgs()...)...)
	}
}

// Sends implements [ratelimit.Store]: the requests every process of the
// app logged, on this process's clock. It gives the log this process's
// own first, then waits censusWait (within ctx) for the others', which
// they send when told the gate closed. The log is complete from its first
// batch when it is full, from the start otherwise (a log that expired had
// no request for logTTL). While Redis is away, none.
func (s *Store) Sends(ctx context.Context) ([]int64, int64, bool) {
	if !s.healthy.Load() {
		return nil, 0, false
	}
	s.flushSends(ctx)
	t := time.NewTimer(censusWait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, 0, false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	s.calls.Add(1)
	batches, err := s.rdb.LRange(ctx, s.keys[6], 0, -1).Result()
	if err != nil {
		s.failures.Add(1)
		return nil, 0, false
	}
	offset := s.offset.Load()
	var at []int64
	var since int64
	for i, batch := range batches {
		for j, f := range strings.Split(batch, ",") {
			us, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				continue
			}
			t := (us - offset) * 1000
			if i == 0 && j == 0 && len(batches) >= logSize {
				since = t
			}
			at = append(at, t)
		}
	}
	slices.Sort(at)
	return at, since, true
}
