package scriptcmd

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
	"github.com/owulveryck/gomcptest/internal/syncbuf"
)

func fakeStartCmd() command {
	return command{
		name:    "fake start",
		args:    "gemini|openai SCENARIO",
		summary: "serve a scripted fake model on 127.0.0.1 and export its URL",
		detail: []string{
			"SCENARIO is a scenario file (a txtar archive, one section a turn), relative to the script's current directory, often one of the script's own files. Its format is that of the fake's package: github.com/owulveryck/gomcptest/fakes/gemini for gemini, .../fakes/openai for openai.",
			"gemini serves the Vertex AI and Gemini API paths and sets FAKEGEMINI_URL, the base URL (http://127.0.0.1:PORT), and the same URL in GOOGLE_GEMINI_BASE_URL and GOOGLE_VERTEX_BASE_URL (read by the genai client) and MODEL_BASE_URL (read by openaiserver); GCP_PROJECT, when empty, becomes fake-project, since openaiserver sends Vertex AI requests to MODEL_BASE_URL only with a project.",
			"openai serves the OpenAI chat API and sets FAKEOPENAI_URL and OPENAI_BASE_URL to http://127.0.0.1:PORT/v1.",
			"The variables reach the next exec, and servers started by mcp start. The fake runs until fake stop or the end of the script, which fails if the scenario has turns left or the fake got a request it did not expect (one past the last turn, or missing a turn's expect).",
		},
		run: fakeStart,
	}
}

func fakeStopCmd() command {
	return command{
		name:    "fake stop",
		args:    "gemini|openai",
		summary: "stop a fake model and check that its scenario was played as written",
		detail: []string{
			"Writes the fake's log, a line a request, to stderr, and fails if the scenario has turns left or the fake got a request it did not expect. ! fake stop expects such a failure, and writes the reasons to stderr.",
		},
		run: fakeStop,
	}
}

// A fakeKind is a fake model fake start can serve.
type fakeKind struct {
	// serve returns the fake's handler playing the scenario in data,
	// telling failed of each request the scenario did not expect, and
	// the function listing the turns not played yet.
	serve func(file string, data []byte, logger *slog.Logger, failed func(error)) (http.Handler, func() []string, error)
	// vars are the variables fake start sets for the fake at url.
	vars func(ts *testscript.TestScript, url string) [][2]string
}

func fakeKinds() map[string]fakeKind {
	return map[string]fakeKind{
		"gemini": {
			serve: func(file string, data []byte, logger *slog.Logger, failed func(error)) (http.Handler, func() []string, error) {
				sc, err := fakegemini.ParseScenario(file, data)
				if err != nil {
					return nil, nil, err
				}
				script := fakegemini.NewScript(sc)
				srv := fakegemini.New(fakegemini.ResponderFunc(scripted(script.Respond, failed)), &fakegemini.Options{Logger: logger})
				return srv, script.Unused, nil
			},
			vars: func(ts *testscript.TestScript, url string) [][2]string {
				vars := [][2]string{
					{"FAKEGEMINI_URL", url},
					{"GOOGLE_GEMINI_BASE_URL", url},
					{"GOOGLE_VERTEX_BASE_URL", url},
					{"MODEL_BASE_URL", url},
				}
				if ts.Getenv("GCP_PROJECT") == "" {
					vars = append(vars, [2]string{"GCP_PROJECT", "fake-project"})
				}
				return vars
			},
		},
		"openai": {
			serve: func(file string, data []byte, logger *slog.Logger, failed func(error)) (http.Handler, func() []string, error) {
				sc, err := fakeopenai.ParseScenario(file, data)
				if err != nil {
					return nil, nil, err
				}
				script := fakeopenai.NewScript(sc)
				srv := fakeopenai.New(fakeopenai.ResponderFunc(scripted(script.Respond, failed)), &fakeopenai.Options{Logger: logger})
				return srv, script.Unused, nil
			},
			vars: func(_ *testscript.TestScript, url string) [][2]string {
				return [][2]string{
					{"FAKEOPENAI_URL", url + "/v1"},
					{"OPENAI_BASE_URL", url + "/v1"},
				}
			},
		},
	}
}

// scripted wraps a scenario's Respond so that each request it did not
// expect is reported to failed, as well as answered with the error.
func scripted[Req, Turn any](respond func(context.Context, *Req) (*Turn, error), failed func(error)) func(context.Context, *Req) (*Turn, error) {
	return func(ctx context.Context, req *Req) (*Turn, error) {
		t, err := respond(ctx, req)
		if err != nil {
			failed(err)
		}
		return t, err
	}
}

// A fake is a fake model started by fake start.
type fake struct {
	script string // the name of the script that started it
	file   string
	srv    *httptest.Server
	unused func() []string
	log    *syncbuf.Buffer

	mu         sync.Mutex
	unexpected []string // written by the server's goroutines
}

func (f *fake) failed(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unexpected = append(f.unexpected, err.Error())
}

// stop closes the server and returns what went against the scenario.
func (f *fake) stop() []string {
	f.srv.Close()
	f.mu.Lock()
	problems := append([]string(nil), f.unexpected...)
	f.mu.Unlock()
	for _, turn := range f.unused() {
		problems = append(problems, "turn never used: "+turn)
	}
	return problems
}

func fakeStart(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "fake start")
	st := scriptState(ts, "fake start", len(args) == 2)
	kindName, file := args[0], args[1]
	kind, ok := fakeKinds()[kindName]
	if !ok {
		ts.Fatalf("fake start: no fake %q: want gemini or openai", kindName)
	}
	if _, ok := st.fakes[kindName]; ok {
		ts.Fatalf("fake start %s: the fake is already running (fake stop %s first)", kindName, kindName)
	}
	f := &fake{script: ts.Name(), file: file, log: new(syncbuf.Buffer)}
	logger := slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	h, unused, err := kind.serve(file, []byte(ts.ReadFile(file)), logger, f.failed)
	if err != nil {
		ts.Fatalf("fake start %s: %v", kindName, err)
	}
	f.unused = unused
	f.srv = httptest.NewServer(h)
	st.fakes[kindName] = f
	for _, kv := range kind.vars(ts, f.srv.URL) {
		setenv(ts, kv[0], kv[1])
	}
}

// dropTime leaves the time out of a fake's log, which a script may match.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func fakeStop(ts *testscript.TestScript, neg bool, args []string) {
	st := scriptState(ts, "fake stop", len(args) == 1)
	f, ok := st.fakes[args[0]]
	if !ok {
		ts.Fatalf("fake stop %s: no fake %s is running (fake start %s SCENARIO first)", args[0], args[0], args[0])
	}
	delete(st.fakes, args[0])
	problems := f.stop()
	stderr := ts.Stderr()
	fmt.Fprint(stderr, f.log.String())
	switch {
	case neg && len(problems) == 0:
		ts.Fatalf("fake stop %s: %s was played as written, want a failure", args[0], f.file)
	case neg:
		fmt.Fprintf(stderr, "%s:\n\t%s\n", f.file, strings.Join(problems, "\n\t"))
	case len(problems) > 0:
		ts.Fatalf("fake stop %s: %s was not played as written:\n\t%s", args[0], f.file, strings.Join(problems, "\n\t"))
	}
}
