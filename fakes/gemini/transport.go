package fakegemini

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Client returns an HTTP client that serves every request with s
// in-process, without a socket. Give it to genai as ClientConfig.HTTPClient
// with any BaseURL: the host part is ignored.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: Transport(s)}
}

// Transport returns an http.RoundTripper that runs h in a goroutine for each
// request and streams what it writes to the response body through a pipe,
// so a flushed SSE event reaches the reader at once. A handler that panics
// with http.ErrAbortHandler ends the body with io.ErrUnexpectedEOF, as a
// dropped connection does. Cancelling the request's context ends the body
// with the context's error.
func Transport(h http.Handler) http.RoundTripper {
	return transport{h}
}

type transport struct{ h http.Handler }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	sreq := req.Clone(ctx)
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "in-process"

	pr, pw := io.Pipe()
	w := &pipeWriter{header: make(http.Header), pw: pw, ready: make(chan struct{})}
	go func() {
		defer func() {
			v := recover()
			w.WriteHeader(http.StatusOK) // a handler that wrote nothing answered 200
			switch {
			case v == nil:
				pw.Close()
			case v == http.ErrAbortHandler:
				pw.CloseWithError(io.ErrUnexpectedEOF)
			default:
				pw.CloseWithError(fmt.Errorf("handler panic: %v", v))
			}
		}()
		t.h.ServeHTTP(w, sreq)
	}()

	select {
	case <-w.ready:
	case <-ctx.Done():
		pr.CloseWithError(ctx.Err())
		return nil, ctx.Err()
	}
	stop := context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
	resp := &http.Response{
		Status:     strconv.Itoa(w.code) + " " + http.StatusText(w.code),
		StatusCode: w.code,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     w.sent,
		Body:       &body{PipeReader: pr, stop: stop},
		Request:    req,
	}
	resp.ContentLength = -1
	return resp, nil
}

type body struct {
	*io.PipeReader
	stop func() bool
}

func (b *body) Close() error {
	b.stop()
	return b.PipeReader.Close()
}

// pipeWriter is the http.ResponseWriter of an in-process handler.
type pipeWriter struct {
	header http.Header
	pw     *io.PipeWriter
	once   sync.Once
	ready  chan struct{}
	code   int         // set once, before ready is closed
	sent   http.Header // header as of WriteHeader
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(code int) {
	w.once.Do(func() {
		w.code = code
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush is a no-op: pipe writes already wait for the reader.
func (w *pipeWriter) Flush() {}
