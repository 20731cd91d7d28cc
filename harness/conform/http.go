package conform

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// httpLink speaks streamable HTTP: each frame is POSTed, and the answer,
// a JSON body or an SSE stream, is read into frames. Every exchange has
// a deadline: it is cut when the server sends nothing on it for timeout,
// so a server that holds a POST open cannot hold the run.
type httpLink struct {
	url     string
	client  *http.Client
	timeout time.Duration
	in      chan []byte
	ctx     context.Context // ends the exchanges on close
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	sessionID string
	version   string            // sent as MCP-Protocol-Version once negotiated
	statuses  []int             // the HTTP status of every POST, in order
	cuts      map[string]string // why the exchange of a request was cut, by id key
	open      map[string]int    // the exchanges in flight, by id key
}

func dialHTTP(url string, client *http.Client, timeout time.Duration) *httpLink {
	ctx, cancel := context.WithCancel(context.Background())
	return &httpLink{url: url, client: client, timeout: timeout, in: make(chan []byte, 64), ctx: ctx, cancel: cancel, cuts: map[string]string{}, open: map[string]int{}}
}

// header sets the headers every POST carries and returns the request's
// id key, "" for a notification.
func (l *httpLink) header(h http.Header, data []byte) string {
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json, text/event-stream")
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessionID != "" {
		h.Set("Mcp-Session-Id", l.sessionID)
	}
	if l.version != "" {
		h.Set("Mcp-Protocol-Version", l.version)
	}
	// Revision 2026-07-28 routes on these headers; older servers ignore them.
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	if m.Method != "" {
		h.Set("Mcp-Method", m.Method)
		if m.Params.Name != "" {
			h.Set("Mcp-Name", m.Params.Name)
		}
	}
	if len(m.ID) == 0 {
		return ""
	}
	return idKey(m.ID)
}

// send POSTs one frame. It returns once the status is known; an SSE
// stream is read on until it ends or its deadline passes. ctx bounds only
// how long send waits for the status, since a server may hold the
// headers until its answer is ready.
func (l *httpLink) send(ctx context.Context, data []byte) error {
	exCtx, cancel := context.WithCancel(l.ctx)
	req, err := http.NewRequestWithContext(exCtx, http.MethodPost, l.url, bytes.NewReader(data))
	if err != nil {
		cancel()
		return err
	}
	key := l.header(req.Header, data)
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		cancel()
		return errClosed
	}
	l.wg.Add(1)
	l.open[key]++
	l.mu.Unlock()
	// The deadline of the exchange; each message on its stream resets it.
	idle := time.AfterFunc(l.timeout, func() {
		l.mu.Lock()
		l.cuts[key] = l.cutWhy()
		l.mu.Unlock()
		cancel()
	})
	status := make(chan error, 1)
	go func() {
		defer l.wg.Done()
		defer cancel()
		defer idle.Stop()
		defer func() {
			l.mu.Lock()
			l.open[key]--
			l.mu.Unlock()
		}()
		l.exchange(req, requestID(data), idle, func(err error) {
			l.mu.Lock()
			why := l.cuts[key]
			l.mu.Unlock()
			if err != nil && why != "" {
				err = fmt.Errorf("posting to %s: %s", l.url, why)
			}
			status <- err
		})
	}()
	select {
	case err := <-status:
		return err
	case <-ctx.Done():
		return fmt.Errorf("posting to %s: %w", l.url, ctx.Err())
	}
}

// cut says why the exchange of the request with this id key was cut, or
// that it is still open.
func (l *httpLink) cut(key string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if why := l.cuts[key]; why != "" {
		return why
	}
	if l.open[key] > 0 {
		// Its deadline is passing too: it is being cut.
		return l.cutWhy()
	}
	return ""
}

func (l *httpLink) cutWhy() string {
	return fmt.Sprintf("the server sent nothing on the HTTP exchange for %v, and the checker cut it", l.timeout)
}

// exchange performs one POST and delivers its answer to frames. It calls
// status once, as soon as the outcome of the POST is known; an SSE stream
// goes on, each message resetting idle, the exchange's deadline. An error
// status is a *statusError unless its JSON body answers the request by
// its id: a body without one ({"id": null} from a server that refused the
// request before reading it) answers nothing the session could wait for.
func (l *httpLink) exchange(req *http.Request, id json.RawMessage, idle *time.Timer, status func(error)) {
	resp, err := l.client.Do(req)
	if err != nil {
		status(fmt.Errorf("posting to %s: %w", l.url, err))
		return
	}
	defer resp.Body.Close()
	l.mu.Lock()
	l.statuses = append(l.statuses, resp.StatusCode)
	if id := resp.Header.Get("Mcp-Session-Id"); id != "" && l.sessionID == "" {
		l.sessionID = id
	}
	l.mu.Unlock()
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "text/event-stream" {
		status(nil)
		l.readSSE(resp.Body, func() { idle.Reset(l.timeout) })
		return
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	switch {
	case err != nil:
		err = fmt.Errorf("reading the answer of %s: %w", l.url, err)
	case ct == "application/json" && len(bytes.TrimSpace(body)) > 0 && (resp.StatusCode < 300 || answers(body, id)):
		l.push(body)
	case resp.StatusCode >= 300:
		err = &statusError{resp.StatusCode, evidence(body)}
	}
	status(err)
}

// requestID returns the id of a request frame, or nil.
func requestID(data []byte) json.RawMessage {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &m) != nil || string(m.ID) == "null" {
		return nil
	}
	return m.ID
}

// answers reports whether a frame holds a response to the request id.
func answers(body []byte, id json.RawMessage) bool {
	msgs, _, ok := parseFrame(body)
	return ok && id != nil && slices.ContainsFunc(msgs, func(m *message) bool {
		return m.isResponse() && idKey(m.ID) == idKey(id)
	})
}

// statusError is an HTTP answer that carried no JSON-RPC message.
type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.code, e.body) }

// readSSE delivers each event of an SSE stream, calling got after each.
func (l *httpLink) readSSE(body io.Reader, got func()) {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if len(data) > 0 {
				l.push([]byte(strings.Join(data, "\n")))
				data = nil
				got()
			}
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	if len(data) > 0 {
		l.push([]byte(strings.Join(data, "\n")))
	}
}

func (l *httpLink) push(data []byte) {
	select {
	case l.in <- data:
	case <-l.ctx.Done():
	}
}

func (l *httpLink) frames() <-chan []byte { return l.in }

func (l *httpLink) setVersion(v string) {
	l.mu.Lock()
	l.version = v
	l.mu.Unlock()
}

func (l *httpLink) session() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sessionID
}

// close ends the session with DELETE, as a polite client does, stops
// the streams and closes frames.
func (l *httpLink) close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	if id := l.session(); id != "" {
		ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, l.url, nil)
		if err == nil {
			req.Header.Set("Mcp-Session-Id", id)
			if resp, err := l.client.Do(req); err == nil {
				resp.Body.Close()
			}
		}
		cancel()
	}
	l.cancel()
	l.wg.Wait()
	close(l.in)
	return nil
}
