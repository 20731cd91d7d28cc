package toolbox

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// environ calls the environ tool of an "env" test server and returns its
// environment, sorted.
func environ(t *testing.T, tb *Toolbox, tool string) []string {
	t.Helper()
	env := strings.Split(callText(t, tb, tool, ""), "\n")
	slices.Sort(env)
	return env
}

func TestHostSecretsStayInTheHost(t *testing.T) {
	t.Setenv("GEMINI_API_KEY", "gemini-secret")
	t.Setenv("OPENAISERVER_API_KEYS", "sk-host-secret")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "/secret/creds.json")
	t.Setenv("LANG", "C.UTF-8")
	tb, _ := newTestToolbox(t, nil,
		testServer(t, "plain", "env"),
		testServer(t, "named", "env", "GEMINI_API_KEY"),
	)
	plain, named := environ(t, tb, "plain_environ"), environ(t, tb, "named_environ")
	for _, kv := range plain {
		if strings.Contains(kv, "secret") {
			t.Errorf("server plain got the host's %s", kv)
		}
	}
	if !slices.Contains(plain, "LANG=C.UTF-8") || !slices.Contains(plain, "PATH="+getenv(t, "PATH")) {
		t.Errorf("server plain lacks LANG or PATH: %q", plain)
	}
	if !slices.Contains(named, "GEMINI_API_KEY=gemini-secret") {
		t.Errorf("server named lacks the GEMINI_API_KEY named on its line: %q", named)
	}
	for _, kv := range named {
		if strings.Contains(kv, "secret") && kv != "GEMINI_API_KEY=gemini-secret" {
			t.Errorf("server named got the host's %s", kv)
		}
	}
}

func getenv(t *testing.T, name string) string {
	t.Helper()
	v, ok := os.LookupEnv(name)
	if !ok {
		t.Skipf("%s is not set", name)
	}
	return v
}

func TestServerEnvironment(t *testing.T) {
	host := []string{
		"PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "LC_TIME=fr_FR.UTF-8", "TERM=xterm",
		"GEMINI_API_KEY=gk", "OPENAISERVER_API_KEYS=ok", "GOOGLE_APPLICATION_CREDENTIALS=/creds.json",
		"GCP_PROJECT=p", "SHARED=s", "UNRELATED=u", "HOME=/second/home/ignored",
	}
	opts := &Options{
		Environ: func() []string { return host },
		PassEnv: []string{"SHARED", "NOT_SET_ALL"},
	}
	tb, logs := newTestToolbox(t, opts,
		testServer(t, "plain", "env"),
		testServer(t, "imagen", "env", "GEMINI_API_KEY", "GCP_PROJECT", "NOT_SET_OWN", "LANG=fr_FR.UTF-8"),
	)
	// testServer's own K=V words.
	test := []string{modeEnv + "=env", "GORACE=atexit_sleep_ms=0"}
	base := []string{"HOME=/home/u", "LANG=C.UTF-8", "LC_TIME=fr_FR.UTF-8", "PATH=/usr/bin:/bin", "TERM=xterm"}
	tests := []struct {
		tool string
		want []string
	}{
		{"plain_environ", slices.Concat(base, []string{"SHARED=s"}, test)},
		// LANG set on the line wins over the host's.
		{"imagen_environ", slices.Concat(base[:1], []string{"LANG=fr_FR.UTF-8"}, base[2:],
			[]string{"SHARED=s", "GEMINI_API_KEY=gk", "GCP_PROJECT=p"}, test)},
	}
	for _, tt := range tests {
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if diff := cmp.Diff(want, environ(t, tb, tt.tool)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.tool, diff)
		}
	}
	logs.waitFor(t, "level=WARN", "variables to pass to every server are not set", "names=[NOT_SET_ALL]")
	logs.waitFor(t, "level=WARN", "server=imagen", "variables to pass to the server are not set", "names=[NOT_SET_OWN]")
	for line := range strings.Lines(logs.String()) {
		if containsAll(line, []string{"server=plain", "variables to pass"}) {
			t.Errorf("a warning about names given to another server: %s", line)
		}
	}
}

func TestEmptyHostEnvironment(t *testing.T) {
	// Nothing to pass must stay nothing, not become the host's environment.
	t.Setenv("GEMINI_API_KEY", "gemini-secret")
	spec := ServerSpec{Command: "sh", Args: []string{"-c", "env >&2; echo env printed >&2; exit 1"}}
	tb, err := New(t.Context(), []ServerSpec{spec}, &Options{Environ: func() []string { return nil }})
	if err == nil {
		tb.Close()
		t.Fatal("New succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "env printed") || strings.Contains(msg, "gemini-secret") {
		t.Errorf("the stderr of env, with no variable to pass, is not empty:\n%s", msg)
	}
}

func TestBadNamesToPass(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts *Options
		spec ServerSpec
	}{
		{"pass to all", &Options{PassEnv: []string{"OK", "NOT OK"}}, ServerSpec{Command: "true"}},
		{"pass to one", nil, ServerSpec{Command: "true", Pass: []string{"A=B"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb, err := New(t.Context(), []ServerSpec{tt.spec}, tt.opts)
			if err == nil {
				tb.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), "is not an environment variable name") {
				t.Errorf("New: %v", err)
			}
		})
	}
}
