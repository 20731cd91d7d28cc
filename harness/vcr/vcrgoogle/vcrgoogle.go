// Package vcrgoogle records and replays the traffic of Google's genai
// client (Vertex AI and the Gemini API) with package vcr. It holds what
// needs Google's libraries, so that vcr itself imports none of them and
// stays light for tests of other services.
//
// The shortest use gives a test a genai client whose traffic is a
// cassette, replayed by default:
//
//	client := vcrgoogle.NewTestClient(t, "testdata/hello.yaml",
//		&genai.ClientConfig{Backend: genai.BackendVertexAI}, nil)
//	resp, err := client.Models.GenerateContent(ctx, "gemini-2.5-flash", genai.Text("Hello"), nil)
//
// Replaying reads no credentials and needs no project: the client gets
// placeholders where genai wants values. To record, run the test once with
// GOMCPTEST_VCR=record (or -record, see vcr.RegisterFlags) and a real
// project: GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION, or the config's
// Project and Location, with Application Default Credentials (gcloud auth
// application-default login) for Vertex AI, or an API key for the Gemini
// API. The recorder sits above the credentials, so tokens never reach
// the cassette, and the project id is replaced by vcr.Project.
//
// For a client built elsewhere (a backend that takes an *http.Client),
// use vcr.NewTest with Transport as vcr.Options.Transport when recording.
package vcrgoogle

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/http"
	"testing"

	"cloud.google.com/go/auth/credentials"
	"cloud.google.com/go/auth/httptransport"
	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

// Transport returns a transport that authenticates to Google Cloud with
// Application Default Credentials, as genai does by itself for Vertex AI
// when it has no HTTP client. Give it as vcr.Options.Transport to record
// Vertex AI traffic: the recorder sits above it, so the credentials it
// adds never reach the cassette. ctx bounds the lookup of the quota
// project.
func Transport(ctx context.Context) (http.RoundTripper, error) {
	creds, err := credentials.DetectDefault(&credentials.DetectOptions{
		Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"},
	})
	if err != nil {
		return nil, fmt.Errorf("finding Application Default Credentials (gcloud auth application-default login): %w", err)
	}
	h := http.Header{}
	if quota, err := creds.QuotaProjectID(ctx); err == nil && quota != "" {
		h.Set("X-Goog-User-Project", quota)
	}
	client, err := httptransport.NewClient(&httptransport.Options{Credentials: creds, Headers: h})
	if err != nil {
		return nil, fmt.Errorf("authenticating to Google Cloud: %w", err)
	}
	return client.Transport, nil
}

// NewTestClient returns a genai client whose traffic goes through
// vcr.NewTest(tb, file, opts), in the mode it picks. cfg is the client's
// configuration as the test would give it to genai.NewClient; its Backend
// must be set (a cassette is recorded against one service) and its
// HTTPClient is replaced. nil opts means the defaults.
//
// In Replay mode an empty Project and Location (Vertex AI) or APIKey (the
// Gemini API) get placeholders, so no credentials are needed. In the
// other modes the project genai resolves is added to opts.Secrets, and on
// Vertex AI without an API key, opts.Transport, when nil, is Transport.
// Failures stop the test with tb.Fatalf.
func NewTestClient(tb testing.TB, file string, cfg *genai.ClientConfig, opts *vcr.Options) *genai.Client {
	tb.Helper()
	var cc genai.ClientConfig
	if cfg != nil {
		cc = *cfg
	}
	var o vcr.Options
	if opts != nil {
		o = *opts
	}
	if o.Mode == "" {
		m, err := vcr.ModeFromEnv()
		if err != nil {
			tb.Fatalf("vcrgoogle: %v", err)
		}
		o.Mode = m
	}
	vertex := cc.Backend == genai.BackendVertexAI
	if !vertex && cc.Backend != genai.BackendGeminiAPI {
		tb.Fatalf("vcrgoogle: cassette %s: set ClientConfig.Backend to genai.BackendVertexAI or genai.BackendGeminiAPI, the service it is recorded against", file)
	}
	if o.Mode == vcr.Replay {
		switch {
		case vertex && cc.APIKey == "":
			cc.Project = cmp.Or(cc.Project, vcr.Project)
			cc.Location = cmp.Or(cc.Location, vcr.Location)
		case !vertex:
			cc.APIKey = cmp.Or(cc.APIKey, vcr.Redacted)
		}
	}
	// genai keeps the client it is given: its transport, the recorder, is
	// set once the project genai resolved is known, to redact it.
	hc := &http.Client{}
	cc.HTTPClient = hc
	client, err := genai.NewClient(tb.Context(), &cc)
	if err != nil {
		tb.Fatalf("vcrgoogle: creating the genai client for cassette %s: %v", file, err)
	}
	if o.Mode != vcr.Replay {
		got := client.ClientConfig()
		if got.Project != "" {
			o.Secrets = maps.Clone(o.Secrets)
			if o.Secrets == nil {
				o.Secrets = map[string]string{}
			}
			o.Secrets[got.Project] = vcr.Project
		}
		if o.Transport == nil && vertex && got.APIKey == "" {
			tr, err := Transport(tb.Context())
			if err != nil {
				tb.Fatalf("vcrgoogle: recording cassette %s: %v", file, err)
			}
			o.Transport = tr
		}
	}
	hc.Transport = vcr.NewTest(tb, file, &o)
	return client
}
