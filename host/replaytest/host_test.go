package replaytest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/harness/vcr"
	"github.com/owulveryck/gomcptest/harness/vcr/vcrgoogle"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/tools/sleep"
)

// -record records the cassettes again, as GOMCPTEST_VCR=record (see
// recordings/README.md).
func init() { vcr.RegisterFlags(flag.CommandLine) }

// cassettes is where the Vertex AI cassettes live.
const cassettes = "../../recordings/vertex"

const model = "gemini-2.5-flash"

// StandinEnv, set to "fakegemini", records against fakegemini playing the
// scenarios of testdata/standins instead of the real Vertex AI.
const standinEnv = "GOMCPTEST_VCR_STANDIN"

// A cassetteCase is a test backed by one cassette.
type cassetteCase struct {
	name string
	// standinOnly: the real service cannot be made to answer this way on
	// demand, so only the stand-in records it.
	standinOnly string
	run         func(t testing.TB, url string)
}

// host runs the host as openaiserver does, on the Vertex AI backend whose
// traffic is the cassette dir/NAME.yaml, with the sleep tool and tool
// events on, and returns its base URL. The cassette's failures go to tb.
func host(t *testing.T, tb testing.TB, dir string, c cassetteCase) string {
	t.Helper()
	mode, err := vcr.ModeFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg := backend.Config{Project: "replay-project", Location: "us-central1", Models: []string{model}}
	opts := &vcr.Options{Mode: mode}
	if mode != vcr.Replay {
		recordFrom(t, c, &cfg, opts)
	}
	cfg.HTTPClient = vcr.NewTest(tb, filepath.Join(dir, c.name+".yaml"), opts).Client()
	logger := slog.New(slog.NewTextHandler(tWriter{t}, nil))
	provider, err := backend.Provider(t.Context(), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}

	tools := mcp.NewServer(&mcp.Implementation{Name: "sleep"}, nil)
	sleep.Register(tools, nil)
	mcpSrv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return tools }, nil))
	t.Cleanup(mcpSrv.Close)
	tb2, err := toolbox.New(t.Context(), []toolbox.ServerSpec{{URL: mcpSrv.URL}}, &toolbox.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tb2.Close() })
	api := httptest.NewServer(server.New(provider, &server.Options{Logger: logger, Toolbox: tb2, ToolEvents: true}))
	t.Cleanup(api.Close)
	return api.URL
}

// recordFrom points cfg and opts at Vertex AI when GCP_PROJECT is set, or
// at fakegemini when GOMCPTEST_VCR_STANDIN=fakegemini, and says what it
// needs otherwise.
func recordFrom(t *testing.T, c cassetteCase, cfg *backend.Config, opts *vcr.Options) {
	t.Helper()
	env, _ := backend.FromEnv(os.Getenv)
	switch {
	case os.Getenv(standinEnv) == "fakegemini":
		sc, err := fakegemini.LoadScenario(filepath.Join("testdata", "standins", c.name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		fake := fakegemini.NewTestServer(t, sc)
		cfg.BaseURL = fake.URL
		opts.Transport = fake.HTTPClient().Transport
		opts.Secrets = map[string]string{fake.URL: "http://fakegemini.invalid"}
		opts.Header = fmt.Sprintf(`SYNTHESIZED: recorded against fakegemini standing in for Vertex AI,
playing host/replaytest/testdata/standins/%s.txtar; NOT an answer of the real service.
Recorded by %s in package host/replaytest.
Record it against the real Vertex AI: make record (see recordings/README.md).`, c.name, t.Name())
	case env.Project != "":
		if c.standinOnly != "" {
			t.Skipf("keeping the stand-in cassette: %s", c.standinOnly)
		}
		tr, err := vcrgoogle.Transport(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Project, cfg.Location = env.Project, env.Location
		opts.Transport = tr
		opts.Secrets = map[string]string{env.Project: vcr.Project, env.Location: vcr.Location}
		opts.Header = fmt.Sprintf(`Recorded against Vertex AI (%s) on %s by %s in package host/replaytest.
Record it again: make record (see recordings/README.md).`, model, time.Now().UTC().Format(time.DateOnly), t.Name())
	default:
		t.Fatalf("vcr mode %s (-record or %s) needs GCP_PROJECT (and GCP_REGION) with Application Default Credentials "+
			"(gcloud auth application-default login), or %s=fakegemini for synthesized cassettes",
			opts.Mode, vcr.EnvVar, standinEnv)
	}
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// answer is what a client saw of one chat completion.
type answer struct {
	status    int
	content   string
	deltas    int      // content deltas of a stream
	finish    string   // the finish_reason
	calls     []string // tool_call events: NAME ARGS
	responses []string // tool_response events: NAME RESPONSE (ERROR)
	prompt    int      // usage.prompt_tokens
	errType   string
	done      bool // [DONE] seen
}

// chat posts body to url/v1/chat/completions and reads the answer, streamed
// or not.
func chat(t testing.TB, url string, body map[string]any) answer {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url+"/v1/chat/completions", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("posting: %v", err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		data, _ := io.ReadAll(resp.Body)
		a.frame(t, data)
		return a
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		switch {
		case !ok:
		case data == "[DONE]":
			a.done = true
		default:
			a.frame(t, []byte(data))
		}
	}
	return a
}

// frame adds one JSON body or SSE frame to a.
func (a *answer) frame(t testing.TB, data []byte) {
	var f struct {
		Choices []struct {
			Message      struct{ Content string }
			Delta        struct{ Content string }
			FinishReason string `json:"finish_reason"`
		}
		Usage *struct {
			PromptTokens int `json:"prompt_tokens"`
		}
		ToolCall *struct {
			Name      string
			Arguments json.RawMessage
		} `json:"tool_call"`
		ToolResponse *struct {
			Name     string
			Response any
			Error    string
		} `json:"tool_response"`
		Error *struct{ Type string }
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	for _, c := range f.Choices {
		a.content += c.Message.Content + c.Delta.Content
		if c.Delta.Content != "" {
			a.deltas++
		}
		if c.FinishReason != "" {
			a.finish = c.FinishReason
		}
	}
	if f.Usage != nil {
		a.prompt = f.Usage.PromptTokens
	}
	if f.ToolCall != nil {
		a.calls = append(a.calls, f.ToolCall.Name+" "+string(f.ToolCall.Arguments))
	}
	if f.ToolResponse != nil {
		a.responses = append(a.responses, fmt.Sprintf("%s %v (%s)", f.ToolResponse.Name, f.ToolResponse.Response, f.ToolResponse.Error))
	}
	if f.Error != nil {
		a.errType = f.Error.Type
	}
}

func userText(text string, stream bool) map[string]any {
	return request([]any{map[string]any{"type": "text", "text": text}}, stream)
}

func request(content []any, stream bool) map[string]any {
	body := map[string]any{
		"model":    model,
		"stream":   stream,
		"messages": []any{map[string]any{"role": "user", "content": content}},
	}
	if stream {
		body["stream_options"] = map[string]any{"include_usage": true}
	}
	return body
}
