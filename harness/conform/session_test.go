package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// progressLink is a server with one slow request: it reports progress
// on the request's token every tick, and answers after work (never, when
// zero). Time is synctest's, so the test waits for nothing real.
type progressLink struct {
	out      chan []byte
	tick     time.Duration
	work     time.Duration
	progress bool
	done     chan struct{}
	wg       sync.WaitGroup // the requests being answered
}

func newProgressLink(tick, work time.Duration, progress bool) *progressLink {
	return &progressLink{out: make(chan []byte, 64), tick: tick, work: work, progress: progress, done: make(chan struct{})}
}

func (l *progressLink) send(_ context.Context, data []byte) error {
	var req struct {
		ID     json.RawMessage `json:"id"`
		Params struct {
			Meta struct {
				Token json.RawMessage `json:"progressToken"`
			} `json:"_meta"`
		} `json:"params"`
	}
	if err := json.Unmarshal(data, &req); err != nil {
		return err
	}
	l.wg.Go(func() {
		tick := time.NewTicker(l.tick)
		defer tick.Stop()
		var end <-chan time.Time
		if l.work > 0 {
			end = time.After(l.work)
		}
		for i := 1; ; i++ {
			select {
			case <-l.done:
				return
			case <-end:
				l.emit(fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"result":{"content":[]}}`, req.ID))
				return
			case <-tick.C:
				if l.progress {
					l.emit(fmt.Appendf(nil, `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":%s,"progress":%d}}`, req.Params.Meta.Token, i))
				}
			}
		}
	})
	return nil
}

func (l *progressLink) emit(frame []byte) {
	select {
	case l.out <- frame:
	case <-l.done:
	}
}

func (l *progressLink) frames() <-chan []byte { return l.out }

// close stops the requests, then ends the output, as a server that
// exits does.
func (l *progressLink) close() error {
	close(l.done)
	l.wg.Wait()
	close(l.out)
	return nil
}

// TestProgressResetsTheDeadline proves a request that receives progress
// outlives the exchange timeout, but not maxCallTimeouts of them, and
// that one without progress does not.
func TestProgressResetsTheDeadline(t *testing.T) {
	const timeout = 100 * time.Millisecond
	params := map[string]any{"name": "long", "_meta": map[string]any{"progressToken": "p-1"}}
	for _, tc := range []struct {
		name     string
		work     time.Duration
		progress bool
		params   map[string]any
		wantErr  error
	}{
		{"progress past the timeout", 5 * timeout, true, params, nil},
		{"progress forever", 0, true, params, errTimeout},
		{"no progress", 5 * timeout, false, params, errTimeout},
		{"no progress token", 5 * timeout, true, map[string]any{"name": "long"}, errTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newSession(newProgressLink(timeout/4, tc.work, tc.progress), timeout)
				defer func() {
					s.close()
					<-s.done()
				}()
				m, err := s.call(t.Context(), "tools/call", tc.params)
				switch {
				case !errors.Is(err, tc.wantErr):
					t.Fatalf("call = %v, %v; want error %v", m, err, tc.wantErr)
				case tc.wantErr == nil && m.Result == nil:
					t.Errorf("call = %s, want the result", m)
				}
			})
		})
	}
}
