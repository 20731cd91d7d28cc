package server

import (
	"net"
	"net/http"
	"strings"
)

// hostPolicy says which Host headers name this server. Checking Host is
// what stops DNS rebinding: a page on attacker.example whose name now
// resolves to 127.0.0.1 reaches the port, but its requests still say
// "Host: attacker.example", and its Origin matches that Host, so comparing
// the two proves nothing.
type hostPolicy struct {
	anyHost  bool     // "*" was allowed
	names    []string // lower case, no trailing dot
	suffixes []string // from "*.example.com": ".example.com"
	ips      []net.IP // addresses the server binds, besides loopback
	anyIP    bool     // bound to 0.0.0.0 or ::: any address literal of the machine
}

func newHostPolicy(allowed []string) hostPolicy {
	var p hostPolicy
	for _, h := range allowed {
		h = normalHost(h)
		switch {
		case h == "*":
			p.anyHost = true
		case strings.HasPrefix(h, "*."):
			p.suffixes = append(p.suffixes, h[1:])
		case h != "":
			p.names = append(p.names, h)
		}
	}
	return p
}

// binding returns p extended with the address a listener is bound to.
func (p hostPolicy) binding(addr net.Addr) hostPolicy {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return p
	}
	if tcp.IP.IsUnspecified() {
		p.anyIP = true
	} else {
		p.ips = append(append([]net.IP(nil), p.ips...), tcp.IP)
	}
	return p
}

// allows reports whether the Host header host (with or without a port)
// names this server.
func (p hostPolicy) allows(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = normalHost(strings.Trim(host, "[]"))
	if host == "" {
		return false
	}
	if p.anyHost || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		// An address literal cannot be rebound; it must still be one the
		// server answers on.
		if ip.IsLoopback() || p.anyIP {
			return true
		}
		for _, b := range p.ips {
			if b.Equal(ip) {
				return true
			}
		}
		return false
	}
	for _, n := range p.names {
		if host == n {
			return true
		}
	}
	for _, s := range p.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

func normalHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// checkHost refuses requests whose Host does not name this server.
func checkHost(p hostPolicy, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.allows(r.Host) {
			writeError(w, http.StatusForbidden, "invalid_request_error", "host_not_allowed",
				"the Host "+quote(r.Host)+" is not a name of this server; start it with -allowed-hosts to allow a name (this check stops DNS rebinding)")
			return
		}
		h.ServeHTTP(w, r)
	})
}
