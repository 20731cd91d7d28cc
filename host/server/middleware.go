package server

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// requireJSON refuses a POST whose body is not declared as JSON. Browsers
// send text/plain, form and multipart bodies across origins without a
// preflight; JSON never goes without one.
func requireJSON(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				writeError(w, http.StatusUnsupportedMediaType, "invalid_request_error", "unsupported_media_type",
					"the request body must be JSON, sent with Content-Type: application/json")
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// limitConcurrent answers 429 past max requests in flight, which every
// OpenAI SDK retries after Retry-After.
func limitConcurrent(max int, h http.Handler) http.Handler {
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "rate_limit_error", "too_many_requests",
				fmt.Sprintf("the server is already running %d chat completions (-max-concurrent); retry shortly", max))
		}
	})
}

// limitBody caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which the handlers answer with 413. It also
// reserves the body's size from the memory budget shared by all requests
// until the request ends, answering 429 when the budget is spent: a few
// large bodies at once must not take the host's memory.
func (s *Server) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.opts.MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large", tooLarge(s.opts.MaxBodyBytes))
			return
		}
		size := r.ContentLength
		if size < 0 {
			size = s.opts.MaxBodyBytes // chunked: the most it may be
		}
		if size > 0 {
			if !s.bodies.reserve(size) {
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusTooManyRequests, "rate_limit_error", "too_many_requests",
					fmt.Sprintf("the server is holding as many request bodies as its memory budget allows (%d bytes, -max-body-memory); retry shortly", s.opts.MaxBodyMemory))
				return
			}
			defer s.bodies.release(size)
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		h.ServeHTTP(w, r)
	})
}

// budget counts bytes held by all requests against a limit.
type budget struct {
	mu        sync.Mutex
	used, max int64
}

func (b *budget) reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.max {
		return false
	}
	b.used += n
	return true
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
}

// authorize requires one of the API keys as a bearer token, when keys are
// configured.
func (s *Server) authorize(h http.Handler) http.Handler {
	if len(s.opts.APIKeys) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !s.validKey(token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gomcptest"`)
			writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "a valid API key is required: send it as Authorization: Bearer <key>")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) validKey(token string) bool {
	ok := false
	for _, k := range s.opts.APIKeys {
		// Compare with every key in constant time so timing tells nothing.
		if subtle.ConstantTimeCompare([]byte(token), []byte(k)) == 1 {
			ok = true
		}
	}
	return ok
}

// cors applies a strict policy: a browser request from a foreign origin is
// refused outright unless that origin is allowed. Refusing (rather than only
// leaving out the CORS headers) matters because a page could otherwise send a
// "simple" cross-site POST that reaches the tools without a preflight.
func (s *Server) cors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || sameOrigin(origin, r.Host) {
			h.ServeHTTP(w, r)
			return
		}
		if !slices.Contains(s.opts.AllowedOrigins, origin) && !slices.Contains(s.opts.AllowedOrigins, "*") {
			writeError(w, http.StatusForbidden, "invalid_request_error", "origin_not_allowed",
				"origin "+origin+" is not allowed; start the server with -cors-origins to allow it")
			return
		}
		hdr := w.Header()
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			hdr.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, "+ToolEventsHeader)
			hdr.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, host)
}
