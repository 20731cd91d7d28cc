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
)

// httpLink speaks streamable HTTP: each frame is POSTed, and the answer,
// a JSON body or an SSE stream, is read into frames.
type httpLink struct {
	url    string
	client *http.Client
	in     chan []byte
	ctx    context.Context // ends the SSE streams on close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	sessionID string
	version   string // sent as MCP-Protocol-Version once negotiated
	statuses  []int  // the HTTP status of every POST, in order
}

func dialHTTP(url string, client *http.Client) *httpLink {
	ctx, cancel := context.WithCancel(context.Background())
	return &httpLink{url: url, client: client, in: make(chan []byte, 64), ctx: ctx, cancel: cancel}
}

// header sets the headers every POST carries.
func (l *httpLink) header(h http.Header, data []byte) {
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
		Method string `json:"method"`
		Params struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	if json.Unmarshal(data, &m) == nil && m.Method != "" {
		h.Set("Mcp-Method", m.Method)
		if m.Params.Name != "" {
			h.Set("Mcp-Name", m.Params.Name)
		}
	}
}

func (l *httpLink) send(ctx context.Context, data []byte) error {
	req, err := http.NewRequestWithContext(l.ctx, http.MethodPost, l.url, bytes.NewReader(data))
	if err != nil {
		return err
	}
	l.header(req.Header, data)
	// The exchange lives as long as the link, since a server may hold the
	// headers until its answer is ready; ctx bounds only how long send
	// waits for them.
	done := make(chan error, 1)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		done <- l.exchange(req, requestID(data))
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("posting to %s: %w", l.url, ctx.Err())
	}
}

// exchange performs one POST and delivers its answer to frames. The error
// is returned as soon as the status is known; an SSE stream goes on. An
// error status is a *statusError unless its JSON body answers the
// request by its id: a body without one ({"id": null} from a server that
// refused the request before reading it) answers nothing the session
// could wait for.
func (l *httpLink) exchange(req *http.Request, id json.RawMessage) error {
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("posting to %s: %w", l.url, err)
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
		l.readSSE(resp.Body)
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("reading the answer of %s: %w", l.url, err)
	}
	if ct == "application/json" && len(bytes.TrimSpace(body)) > 0 && (resp.StatusCode < 300 || answers(body, id)) {
		l.push(body)
		return nil
	}
	if resp.StatusCode >= 300 {
		return &statusError{resp.StatusCode, evidence(body)}
	}
	return nil
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

func (l *httpLink) readSSE(body io.Reader) {
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

// close ends the session with DELETE, as a polite client does, and stops
// the streams.
func (l *httpLink) close() error {
	if id := l.session(); id != "" {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
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
	return nil
}
