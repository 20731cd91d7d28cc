package subagent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startRedis starts Debian's redis-server on a free 127.0.0.1 port, with
// nothing saved to disk, and returns its URL; it is stopped when the test
// ends. It skips the test when redis-server is not installed.
func startRedis(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server is not installed (apt-get install redis-server, as .ci/run does): skipping the Redis store's tests")
	}
	dir := tb.TempDir()
	for range 3 { // a port found free may be taken before redis-server binds it
		port, err := freePort()
		if err != nil {
			tb.Fatal(err)
		}
		var out bytes.Buffer // read once the process exited
		cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dir", dir, "--logfile", "")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			tb.Fatalf("starting redis-server: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		url := "redis://127.0.0.1:" + port + "/0"
		if waitRedis(tb, url, exited) {
			tb.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			return url
		}
		cmd.Process.Kill()
		<-exited
		tb.Logf("redis-server on port %s did not start:\n%s", port, out.String())
	}
	tb.Fatal("redis-server did not start")
	return ""
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// waitRedis waits until the server at url answers PING, or exited closes.
func waitRedis(tb testing.TB, url string, exited <-chan struct{}) bool {
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatal(err)
	}
	opts.DisableIdentity = true
	opts.MaxRetries = -1
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if rdb.Ping(context.Background()).Err() == nil {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// newRedisStore opens a store on url under prefix, closed when the test
// ends.
func newRedisStore(tb testing.TB, url, prefix string, opts RedisOptions) *RedisStore {
	tb.Helper()
	opts.Prefix = prefix
	s, err := NewRedisStore(tb.Context(), url, &opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("closing the store: %v", err)
		}
	})
	return s
}

func TestRedisStore(t *testing.T) {
	url := startRedis(t)
	storetest(t, func(t *testing.T, ttl time.Duration) Store {
		return newRedisStore(t, url, t.Name()+":", RedisOptions{TTL: ttl})
	}, true)
}

// TestRedisStoresShare: two stores on one Redis, as two processes would
// open it, see the same jobs; a job submitted to one is run through the
// other, which hears of its cancellation.
func TestRedisStoresShare(t *testing.T) {
	ctx := t.Context()
	url := startRedis(t)
	a := newRedisStore(t, url, "share:", RedisOptions{})
	b := newRedisStore(t, url, "share:", RedisOptions{})
	other := newRedisStore(t, url, "other:", RedisOptions{})

	if _, err := a.Submit(ctx, "x", Request{Message: "hello", Model: "m"}); err != nil {
		t.Fatal(err)
	}
	if got := ids(listed(t, b)); len(got) != 1 || got[0] != "x" {
		t.Errorf("b lists %v", got)
	}
	if got := listed(t, other); len(got) != 0 {
		t.Errorf("a store with another prefix lists %v", ids(got))
	}
	c := claimNext(t, b)
	if j := get(t, a, "x"); j.Status != Running {
		t.Errorf("a sees %+v, want running", j)
	}
	waited := make(chan error, 1)
	go func() { waited <- a.Wait(ctx, "x") }()
	if _, _, err := a.Cancel(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	receive(t, c.Stopped()) // b's worker hears of the cancel made through a
	if err := receive(t, waited); err != nil {
		t.Errorf("Wait through a: %v", err)
	}
	c.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "late"}})
	if j := get(t, b, "x"); j.Status != Cancelled || j.Result != nil {
		t.Errorf("b sees %+v after the cancel", j)
	}
}

// TestRedisLease: a worker that stops renewing its lease (frozen, or cut
// off) loses the job to another after the lease; what it says later is
// ignored, and its next renewal would tell it to stop.
func TestRedisLease(t *testing.T) {
	ctx := t.Context()
	url := startRedis(t)
	const lease = 300 * time.Millisecond
	a := newRedisStore(t, url, "lease:", RedisOptions{Lease: lease})
	b := newRedisStore(t, url, "lease:", RedisOptions{Lease: lease})

	ca := submitClaim(t, a, "x").(*redisClaim)
	ca.renewing() // a freezes: no more renewals

	cb := claimNext(t, b) // after the lease
	if id, req := cb.Job(); id != "x" || req.Message != "hello x" {
		t.Fatalf("b claimed %s %+v", id, req)
	}
	held, err := renewScript.Run(ctx, a.rdb, []string{a.keys.job("x"), a.keys.queue}, a.keys.group, a.consumer, ca.token).Int()
	if err != nil || held != 0 {
		t.Errorf("a's renewal after the takeover = %d, %v; want 0: no longer a's", held, err)
	}
	ca.End(ctx, Outcome{Status: Failed, Error: "a woke up"})
	if j := get(t, a, "x"); j.Status != Running {
		t.Errorf("after the frozen worker ended it: %+v, want still running under b", j)
	}
	cb.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "b's"}})
	if j := get(t, a, "x"); j.Status != Completed || j.Result.Text != "b's" {
		t.Errorf("job = %+v, want b's answer", j)
	}
}

// TestRedisLeaseRenewed: a worker that renews its lease keeps the job past
// many leases; the other worker never gets it.
func TestRedisLeaseRenewed(t *testing.T) {
	ctx := t.Context()
	url := startRedis(t)
	const lease = 150 * time.Millisecond
	a := newRedisStore(t, url, "renew:", RedisOptions{Lease: lease})
	b := newRedisStore(t, url, "renew:", RedisOptions{Lease: lease})
	ca := submitClaim(t, a, "x")
	short, cancel := context.WithTimeout(ctx, 5*lease)
	defer cancel()
	if c, err := b.Claim(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("b claimed %v, %v while a renewed its lease", c, err)
	}
	select {
	case <-ca.Stopped():
		t.Fatal("a was stopped")
	default:
	}
	ca.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "a's"}})
	if j := get(t, b, "x"); j.Status != Completed {
		t.Errorf("job = %+v", j)
	}
}

// TestRedisAbandoned: a job whose workers keep dying is failed after
// maxReclaims takeovers rather than run for ever.
func TestRedisAbandoned(t *testing.T) {
	url := startRedis(t)
	s := newRedisStore(t, url, "dies:", RedisOptions{Lease: 100 * time.Millisecond})
	submitClaim(t, s, "x").(*redisClaim).renewing()
	for range maxReclaims {
		claimNext(t, s).(*redisClaim).renewing()
	}
	waitFor(t, func() bool {
		// A claimer is what notices a lease past: one is needed to fail it.
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		s.Claim(ctx)
		j, _, _ := s.Get(t.Context(), "x")
		return j.Status == Failed
	})
	if j := get(t, s, "x"); !strings.Contains(j.Error, fmt.Sprintf("%d workers in turn stopped", maxReclaims+1)) {
		t.Errorf("error = %q", j.Error)
	}
}

// TestRedisTTLInRedis: Redis itself expires a finished job (PEXPIRE): the
// key has a time to live of the store's TTL.
func TestRedisTTLInRedis(t *testing.T) {
	ctx := t.Context()
	url := startRedis(t)
	s := newRedisStore(t, url, "ttl:", RedisOptions{TTL: time.Hour})
	c := submitClaim(t, s, "x")
	if d := s.rdb.PTTL(ctx, s.keys.job("x")).Val(); d != -1 {
		t.Errorf("a running job's key has a TTL of %v, want none (-1)", d)
	}
	c.End(ctx, Outcome{Status: Completed, Result: &Completion{}})
	if d := s.rdb.PTTL(ctx, s.keys.job("x")).Val(); d <= 0 || d > time.Hour {
		t.Errorf("a finished job's key has a TTL of %v, want up to 1h", d)
	}
}

// TestRedisStoreDown: with Redis gone, the calls fail with an error that
// says what they were doing, and a claimer returns.
func TestRedisStoreDown(t *testing.T) {
	url := startRedis(t)
	s := newRedisStore(t, url+"?max_retries=-1", "down:", RedisOptions{Logger: slog.New(slog.DiscardHandler)})
	s.rdb.Shutdown(t.Context()) // SHUTDOWN: the server exits
	if _, _, err := s.Get(t.Context(), "x"); err == nil || !strings.Contains(err.Error(), "reading job x: ") {
		t.Errorf("Get = %v", err)
	}
	if _, err := s.Submit(t.Context(), "x", Request{}); err == nil || !strings.Contains(err.Error(), "submitting job x: ") {
		t.Errorf("Submit = %v", err)
	}
	if _, err := s.Claim(t.Context()); err == nil {
		t.Error("Claim succeeded")
	}
}
