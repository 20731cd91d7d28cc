package ui

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
)

// DevServer serves AgentFlow at [Prefix] and passes /v1/ and /health to
// the OpenAI-compatible API at api, so the page, which talks only to its
// own origin, works against an API served elsewhere (another port while
// developing the UI, a remote host). The UI files come from the binary.
//
// It answers only requests that name a loopback host (against DNS
// rebinding) and refuses cross-origin requests that change something, so
// a web page cannot use it to reach the API; it forwards them without the
// browser's Origin, as the API's own client. The API's keys, when it has
// some, are the user's to give in the page, as with the API itself.
func DevServer(api *url.URL, logger *slog.Logger) http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(api)
			r.Out.Header.Del("Origin")
			r.Out.Header.Del("Referer")
		},
		// Stream answers as they come.
		FlushInterval: -1,
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			logger.Warn("the API did not answer", "api", api.String(), "error", err)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(`{"error":{"message":"the API at ` + api.String() + ` did not answer; is it running?","type":"upstream_error"}}` + "\n"))
		},
	}
	mux := http.NewServeMux()
	mux.Handle(Prefix, Handler())
	mux.Handle("GET /{$}", http.RedirectHandler(Prefix, http.StatusFound))
	mux.Handle("/v1/", proxy)
	mux.Handle("/health", proxy)
	guarded := http.NewCrossOriginProtection().Handler(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			http.Error(w, "this development server answers only on localhost", http.StatusForbidden)
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
