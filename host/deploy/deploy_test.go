package deploy

import (
	"bufio"
	"bytes"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the repository's root, the image's build context.
const root = "../.."

// An instruction is one Dockerfile instruction, its continuation lines
// joined.
type instruction struct {
	line int
	cmd  string // upper case
	args string
}

func parseDockerfile(t *testing.T, name string) []instruction {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var (
		out     []instruction
		pending *instruction
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue // comments go, even inside a continuation, as Docker does
		}
		cont := strings.HasSuffix(line, `\`)
		line = strings.TrimSpace(strings.TrimSuffix(line, `\`))
		if pending == nil {
			cmd, args, _ := strings.Cut(line, " ")
			pending = &instruction{line: n, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		} else {
			pending.args += " " + line
		}
		if !cont {
			out = append(out, *pending)
			pending = nil
		}
	}
	if pending != nil {
		t.Fatalf("%s:%d: the last instruction ends with a continuation", name, pending.line)
	}
	return out
}

// stage is the instructions of one build stage.
type stage struct {
	from string // the base image, its ARGs expanded
	name string
	ins  []instruction
}

func stages(t *testing.T, ins []instruction) []stage {
	t.Helper()
	args := map[string]string{}
	var out []stage
	for _, in := range ins {
		switch {
		case in.cmd == "ARG" && len(out) == 0:
			k, v, _ := strings.Cut(in.args, "=")
			args[k] = v
		case in.cmd == "FROM":
			f := strings.Fields(os.Expand(in.args, func(k string) string { return args[k] }))
			st := stage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			out = append(out, st)
		case len(out) == 0:
			t.Fatalf("Dockerfile:%d: %s before the first FROM", in.line, in.cmd)
		default:
			out[len(out)-1].ins = append(out[len(out)-1].ins, in)
		}
	}
	return out
}

// goBuild is one go build of the Dockerfile.
type goBuild struct {
	line int
	cgo  string   // CGO_ENABLED
	out  string   // -o
	pkgs []string // ./host/cmd/X, ./tools/cmd/Y
}

func goBuilds(st stage) []goBuild {
	var out []goBuild
	for _, in := range st.ins {
		if in.cmd != "RUN" || !strings.Contains(in.args, "go build") {
			continue
		}
		b := goBuild{line: in.line}
		f := strings.Fields(in.args)
		for i, w := range f {
			switch {
			case strings.HasPrefix(w, "CGO_ENABLED="):
				b.cgo = strings.TrimPrefix(w, "CGO_ENABLED=")
			case w == "-o" && i+1 < len(f):
				b.out = f[i+1]
			case strings.HasPrefix(w, "./"):
				b.pkgs = append(b.pkgs, w)
			}
		}
		out = append(out, b)
	}
	return out
}

// mainPackages lists the commands of the repository: host/cmd/* and
// tools/cmd/*, by name.
func mainPackages(t *testing.T) map[string]string {
	t.Helper()
	cmds := map[string]string{}
	for _, dir := range []string{"host/cmd", "tools/cmd"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			rel := "./" + dir + "/" + e.Name()
			p, err := build.ImportDir(filepath.Join(root, rel), 0)
			if err == nil && p.Name == "main" {
				cmds[e.Name()] = rel
			}
		}
	}
	return cmds
}

// cgoDeps returns the packages outside the standard library that pkg
// needs and that are written with cgo: a binary of pkg needs cgo.
func cgoDeps(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if and .CgoFiles (not .Standard)}}{{.ImportPath}}{{end}}", pkg)
	cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// TestDockerfile checks what can be checked of the image without a
// container engine (none runs here): a build stage on Go 1.26 and a slim
// runtime stage; every binary built is a command of the repository, and
// every command is built or said to be left out; the static builds need
// no cgo, the cgo one does; the binaries land in /usr/local/bin; the
// runtime user is not root; HOST is 0.0.0.0; the default tools exist.
func TestDockerfile(t *testing.T) {
	text, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	sts := stages(t, parseDockerfile(t, "Dockerfile"))
	if len(sts) < 2 {
		t.Fatalf("%d stages, want a build stage and a runtime stage", len(sts))
	}
	buildSt, run := sts[0], sts[len(sts)-1]
	if !strings.HasPrefix(buildSt.from, "golang:1.26") {
		t.Errorf("the build stage is FROM %s, want golang:1.26", buildSt.from)
	}
	if !strings.Contains(run.from, "slim") && !strings.Contains(run.from, "distroless") {
		t.Errorf("the runtime stage is FROM %s, want a slim or distroless base", run.from)
	}

	// The commands the image leaves out, each named in the Dockerfile's
	// comment with the reason.
	leftOut := []string{"plantuml", "plantuml_check", "toolboxclient", "cliGCP"}
	cmds := mainPackages(t)
	built := map[string]bool{}
	for _, b := range goBuilds(buildSt) {
		if b.out != "/out/" {
			t.Errorf("Dockerfile:%d: go build -o %q, want /out/", b.line, b.out)
		}
		for _, p := range b.pkgs {
			name := filepath.Base(p)
			if cmds[name] != p {
				t.Errorf("Dockerfile:%d: %s is not a command of the repository (host/cmd or tools/cmd)", b.line, p)
				continue
			}
			built[name] = true
			deps := cgoDeps(t, p)
			switch b.cgo {
			case "0":
				if len(deps) > 0 {
					t.Errorf("Dockerfile:%d: %s is built with CGO_ENABLED=0 but needs cgo for %v", b.line, p, deps)
				}
			case "1":
				if len(deps) == 0 {
					t.Errorf("Dockerfile:%d: %s is built with cgo but needs none: build it static", b.line, p)
				}
			default:
				t.Errorf("Dockerfile:%d: go build without CGO_ENABLED=0 or 1", b.line)
			}
		}
	}
	for name := range cmds {
		if !built[name] && !slices.Contains(leftOut, name) {
			t.Errorf("the command %s is neither built in the image nor left out on purpose", name)
		}
	}
	for _, name := range leftOut {
		if built[name] || !strings.Contains(string(text), name) {
			t.Errorf("%s: want it left out of the image, and the Dockerfile saying why", name)
		}
	}
	if !built["openaiserver"] {
		t.Error("the image does not build openaiserver")
	}

	var copied, user, entrypoint, cmd, expose string
	env := map[string]string{}
	for _, in := range run.ins {
		switch in.cmd {
		case "COPY":
			if strings.HasPrefix(in.args, "--from="+buildSt.name+" /out/ ") {
				copied = strings.Fields(in.args)[2]
			}
		case "USER":
			user = in.args
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		case "ENTRYPOINT":
			entrypoint = in.args
		case "CMD":
			cmd = in.args
		case "EXPOSE":
			expose = in.args
		}
	}
	if copied != "/usr/local/bin/" {
		t.Errorf("the binaries go to %q, want /usr/local/bin/ (COPY --from=%s /out/ /usr/local/bin/)", copied, buildSt.name)
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "0" || uid == "root" {
		t.Errorf("USER %q: the runtime user must not be root", user)
	}
	if env["HOST"] != "0.0.0.0" || env["PORT"] == "" || expose != env["PORT"] {
		t.Errorf("ENV %v, EXPOSE %s: want HOST=0.0.0.0 and the PORT exposed", env, expose)
	}
	if !strings.Contains(entrypoint, `"openaiserver"`) {
		t.Errorf("ENTRYPOINT %s does not run openaiserver", entrypoint)
	}
	for _, tool := range mcpServers(t, cmd) {
		if !built[tool] {
			t.Errorf("CMD runs the tool %s, which the image does not build", tool)
		}
	}
}

// mcpServers returns the commands of the -mcpservers value in args (a
// JSON array or a command line), in order.
func mcpServers(t *testing.T, args string) []string {
	t.Helper()
	m := regexp.MustCompile(`-mcpservers"?,? "([^"]+)"`).FindStringSubmatch(args)
	if m == nil {
		t.Fatalf("no -mcpservers in %s", args)
	}
	var out []string
	for spec := range strings.SplitSeq(m[1], ";") {
		f := strings.Fields(spec)
		out = append(out, filepath.Base(f[0]))
	}
	return out
}

// A unit is a systemd unit file: its settings by section, each key with
// its values in order.
type unit map[string]map[string][]string

func parseUnit(t *testing.T, name string) unit {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	u := unit{}
	section := ""
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		case section == "":
			t.Fatalf("%s:%d: a setting before any section", name, n+1)
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s:%d: not KEY=VALUE: %s", name, n+1, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

func (u unit) get(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// TestSystemdUnit checks the unit's sandbox, the environment file it
// needs and the tools it runs, and has systemd-analyze verify it and rate
// its exposure where systemd-analyze is installed.
func TestSystemdUnit(t *testing.T) {
	const file = "openaiserver.service"
	u := parseUnit(t, file)
	for _, s := range []string{"Unit", "Service", "Install"} {
		if u[s] == nil {
			t.Errorf("no [%s] section", s)
		}
	}
	if u.get("Service", "DynamicUser") != "yes" && u.get("Service", "User") == "" {
		t.Error("neither DynamicUser=yes nor a dedicated User=")
	}
	for key, want := range map[string]string{
		"ProtectSystem":   "strict",
		"ProtectHome":     "yes",
		"PrivateTmp":      "yes",
		"NoNewPrivileges": "yes",
		"EnvironmentFile": "/etc/openaiserver/env", // no "-": the keys are not optional
	} {
		if got := u.get("Service", key); got != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}
	if f := strings.Fields(u.get("Service", "RestrictAddressFamilies")); !slices.Contains(f, "AF_INET") || !slices.Contains(f, "AF_INET6") || slices.Contains(f, "AF_PACKET") {
		t.Errorf("RestrictAddressFamilies=%v, want IP (and Unix) sockets only", f)
	}
	if !slices.Contains(u["Service"]["SystemCallFilter"], "@system-service") {
		t.Errorf("SystemCallFilter=%v, want @system-service", u["Service"]["SystemCallFilter"])
	}
	if u.get("Service", "MemoryMax") == "" {
		t.Error("no MemoryMax")
	}
	execStart := u.get("Service", "ExecStart")
	if !strings.HasPrefix(execStart, "/usr/local/bin/openaiserver ") {
		t.Errorf("ExecStart=%s, want /usr/local/bin/openaiserver", execStart)
	}
	cmds := mainPackages(t)
	for _, tool := range mcpServers(t, execStart) {
		if cmds[tool] == "" {
			t.Errorf("ExecStart runs the tool %s, which is no command of the repository", tool)
		}
	}
	if u.get("Install", "WantedBy") == "" {
		t.Error("no WantedBy: systemctl enable would do nothing")
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the unit was checked by structure only")
	}
	// verify wants ExecStart's binary to exist: give it one that does.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	copyPath := filepath.Join(t.TempDir(), file)
	if err := os.WriteFile(copyPath, bytes.ReplaceAll(data, []byte("/usr/local/bin/openaiserver"), []byte(self)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", "--man=no", copyPath).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=true", copyPath).CombinedOutput()
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+) (\w+)`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	level, _ := strconv.ParseFloat(string(m[1]), 64)
	t.Logf("systemd-analyze security: exposure %s %s", m[1], m[2])
	if level > 2 {
		t.Errorf("exposure level %.1f %s, want 2.0 or less", level, m[2])
	}
}

// TestEnvFile: the environment file sets the two variables a deployment
// must fill in, and README's "Deploying" section explains every variable
// it names.
func TestEnvFile(t *testing.T) {
	data, err := os.ReadFile("openaiserver.env")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, deploying, ok := strings.Cut(string(readme), "\n## Deploying\n")
	if !ok {
		t.Fatal(`README.md has no "## Deploying" section`)
	}
	deploying, _, _ = strings.Cut(deploying, "\n## ")
	set := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^(#?)([A-Z][A-Z0-9_]*)=`).FindAllStringSubmatch(string(data), -1) {
		if m[1] == "" {
			set[m[2]] = true
		}
		if !strings.Contains(deploying, "`"+m[2]+"`") {
			t.Errorf("README's Deploying section does not explain %s", m[2])
		}
	}
	for _, k := range []string{"ALLOWED_HOSTS", "OPENAISERVER_API_KEYS"} {
		if !set[k] {
			t.Errorf("openaiserver.env does not set %s", k)
		}
	}
}
