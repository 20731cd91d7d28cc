package vcr

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v2/cassette"
)

// Placeholders written instead of what varies between testers or is secret.
const (
	Project  = "PROJECT"
	Location = "LOCATION"
	Redacted = "REDACTED"
)

var (
	// Vertex AI resource names, in paths and in bodies.
	resourceName = regexp.MustCompile(`projects/[^/?"\s]+/locations/[^/?"\s:]+`)
	// Regional Vertex AI hosts name the location.
	regionalHost = regexp.MustCompile(`^[a-z0-9-]+-aiplatform\.googleapis\.com$`)
	// Values that look like credentials wherever they appear.
	tokens = []*regexp.Regexp{
		regexp.MustCompile(`ya29\.[0-9A-Za-z_.\-]+`),                                     // OAuth access token
		regexp.MustCompile(`1//[0-9A-Za-z_\-]{20,}`),                                     // OAuth refresh token
		regexp.MustCompile(`AIza[0-9A-Za-z_\-]{35}`),                                     // Google API key
		regexp.MustCompile(`GOCSPX-[0-9A-Za-z_\-]+`),                                     // OAuth client secret
		regexp.MustCompile(`eyJ[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]*`), // JWT
		regexp.MustCompile(`sk-[0-9A-Za-z_\-]{20,}`),                                     // OpenAI-style key
		regexp.MustCompile(`(?i)\bbearer\s+[0-9A-Za-z._~+/=\-]+`),
		regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]*-----END [A-Z ]*PRIVATE KEY-----`),
	}
)

// Headers whose values are credentials or name the project: their values
// are replaced by REDACTED.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "X-Goog-Api-Key", "Cookie", "X-Goog-User-Project", "Api-Key"}

// Response headers that change on every call and say nothing to a test:
// dropped so that re-recording gives small diffs.
var noisyHeaders = []string{"Date", "Alt-Svc", "Server-Timing", "X-Cloud-Trace-Context", "Set-Cookie", "Expires", "Age"}

// A redactor rewrites everything before it is written and everything
// matched, so that a cassette holds no secret and matches whatever
// project replays it.
type redactor struct {
	// Literal values of the recording run and their placeholders, longest
	// first so that a value containing another one goes whole.
	literals [][2]string
}

func newRedactor(secrets map[string]string) *redactor {
	r := &redactor{}
	for v, p := range secrets {
		if v != "" {
			r.literals = append(r.literals, [2]string{v, p})
		}
	}
	slices.SortFunc(r.literals, func(a, b [2]string) int { return len(b[0]) - len(a[0]) })
	return r
}

// text redacts a body or a header value.
func (r *redactor) text(s string) string {
	for _, l := range r.literals {
		s = strings.ReplaceAll(s, l[0], l[1])
	}
	s = resourceName.ReplaceAllString(s, "projects/"+Project+"/locations/"+Location)
	for _, t := range tokens {
		s = t.ReplaceAllString(s, Redacted)
	}
	return s
}

// url redacts a URL: the location in the host, the resource name in the
// path, credentials in the query.
func (r *redactor) url(u *url.URL) string {
	v := *u
	v.User = nil
	if regionalHost.MatchString(v.Host) {
		v.Host = Location + "-aiplatform.googleapis.com"
	}
	v.RawQuery = r.query(v.Query())
	return r.text(v.String())
}

// path is what matching compares of a URL: the redacted path and query,
// without scheme and host, so a cassette replays through any base URL.
func (r *redactor) path(u *url.URL) string {
	v := url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: r.query(u.Query())}
	return r.text(v.String())
}

func (r *redactor) query(q url.Values) string {
	for _, k := range []string{"key", "access_token", "api_key"} {
		if q.Has(k) {
			q.Set(k, Redacted)
		}
	}
	return q.Encode()
}

func (r *redactor) headers(h http.Header, drop []string) http.Header {
	out := http.Header{}
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		if slices.Contains(drop, k) {
			continue
		}
		for _, v := range vs {
			if slices.Contains(secretHeaders, k) {
				v = Redacted
			}
			out.Add(k, r.text(v))
		}
	}
	return out
}

// interaction redacts i in place.
func (r *redactor) interaction(i *cassette.Interaction) error {
	u, err := url.Parse(i.Request.URL)
	if err != nil {
		return err
	}
	i.Request.URL = r.url(u)
	i.Request.Headers = r.headers(i.Request.Headers, nil)
	i.Request.Body = r.text(i.Request.Body)
	i.Request.Form = nil
	i.Response.Headers = r.headers(i.Response.Headers, noisyHeaders)
	i.Response.Body = r.text(i.Response.Body)
	return nil
}
