package scriptcmd

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// table is every command, in the order help lists them. A name with a
// space is a subcommand: "mcp start" runs as the line mcp start ....
func table() []command {
	return []command{
		mcpStartCmd(),
		mcpCallCmd(),
		mcpListCmd(),
		mcpStopCmd(),
		fakeStartCmd(),
		fakeStopCmd(),
		chatCmd(),
		getCmd(),
		freeportCmd(),
		waitportCmd(),
		captureCmd(),
		helpCmd(),
	}
}

// A command is a script command, or a subcommand, with its usage in the
// style of Go's own script engine (cmd/internal/script's CmdUsage).
type command struct {
	name    string   // "get", or "mcp call" for a subcommand
	args    string   // a synopsis of the arguments only
	summary string   // one line, lowercase, no period
	detail  []string // paragraphs, for help -v
	run     func(ts *testscript.TestScript, neg bool, args []string)
}

// Commands returns every command of the package by name, for
// testscript.Params.Cmds; the package documentation lists them, and a
// script's help line prints their usage (help -v, the details). The mcp
// and fake commands keep state for the script they run in, which [Setup]
// prepares: set Params.Setup to it, or call it from yours. The others
// need nothing.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := make(map[string]func(ts *testscript.TestScript, neg bool, args []string))
	groups := make(map[string][]command)
	for _, c := range table() {
		group, _, ok := strings.Cut(c.name, " ")
		if !ok {
			cmds[c.name] = c.run
			continue
		}
		groups[group] = append(groups[group], c)
	}
	for group, subs := range groups {
		cmds[group] = dispatch(group, subs)
	}
	return cmds
}

// dispatch runs the subcommand the first argument names.
func dispatch(group string, subs []command) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) > 0 {
			for _, c := range subs {
				if c.name == group+" "+args[0] {
					c.run(ts, neg, args[1:])
					return
				}
			}
		}
		var b strings.Builder
		if len(args) > 0 {
			fmt.Fprintf(&b, "%s: unknown subcommand %q\n", group, args[0])
		}
		b.WriteString("usage:")
		for _, c := range subs {
			fmt.Fprintf(&b, "\n\t%s %s", c.name, c.args)
		}
		ts.Fatalf("%s", b.String())
	}
}

// fatalUsage fails the script with the usage line of the command name.
func fatalUsage(ts *testscript.TestScript, name string) {
	ts.Fatalf("%s", usageLine(name))
}

func usageLine(name string) string {
	for _, c := range table() {
		if c.name == name {
			return "usage: " + c.name + " " + c.args
		}
	}
	panic("scriptcmd: no command " + name)
}

// parseFlags parses the flags of the command fs names, failing the script
// with the flag's error and the usage line on a bad one, and returns how
// many arguments are left.
func parseFlags(ts *testscript.TestScript, fs *flag.FlagSet, args []string) int {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("%s: %v\n%s", fs.Name(), err, usageLine(fs.Name()))
	}
	return fs.NArg()
}

// noNeg fails the script when a command that cannot fail on purpose is
// negated.
func noNeg(ts *testscript.TestScript, neg bool, name string) {
	if neg {
		ts.Fatalf("%s does not take !", name)
	}
}

// Setup gives a script the state that the mcp and fake commands keep
// across its lines (the sessions and the fake servers), and stops them
// all when the script ends. A fake still running then fails the test if
// its scenario has turns left or it got a request it did not expect.
// Use it as Params.Setup, or call it from yours; it keeps its state in
// env.Values, so scripts running in parallel share nothing.
func Setup(env *testscript.Env) error {
	st := &state{
		t:        env.T(),
		env:      env,
		sessions: make(map[string]*session),
		fakes:    make(map[string]*fake),
		set:      make(map[string]bool),
	}
	env.Values[stateKey{}] = st
	env.Defer(st.close)
	return nil
}

type stateKey struct{}

// state is what one script's mcp and fake commands share. The commands
// run one at a time, on the script's goroutine; only a fake's record of
// failures is written from elsewhere, under its own lock.
type state struct {
	t        testscript.T
	env      *testscript.Env
	sessions map[string]*session
	fakes    map[string]*fake
	// set names the variables scriptcmd's commands set, which a server
	// started later must see (see environ).
	set map[string]bool
}

// scriptState returns the script's state for the command cmd, failing the
// script with the usage line unless argsOK, and when Setup did not run.
func scriptState(ts *testscript.TestScript, cmd string, argsOK bool) *state {
	if !argsOK {
		fatalUsage(ts, cmd)
	}
	st, _ := ts.Value(stateKey{}).(*state)
	if st == nil {
		ts.Fatalf("%s: the script has no scriptcmd state: set testscript.Params.Setup to scriptcmd.Setup, or call scriptcmd.Setup(env) from your Setup", cmd)
	}
	return st
}

// setenv sets a variable for the rest of the script, and remembers its
// name so that servers started by mcp start see it.
func setenv(ts *testscript.TestScript, key, value string) {
	ts.Setenv(key, value)
	if st, _ := ts.Value(stateKey{}).(*state); st != nil {
		st.set[key] = true
	}
}

// environ is the environment a server started by the script gets: the
// current value of every variable the script started with (testscript's
// own and those of Params.Setup) and of those scriptcmd's commands set,
// and PWD. testscript does not tell a command the names that the env
// command added, so those are left out.
func (st *state) environ(ts *testscript.TestScript) []string {
	seen := make(map[string]bool)
	var env []string
	add := func(k string) {
		if k == "" || k == "PWD" || seen[k] {
			return
		}
		seen[k] = true
		env = append(env, k+"="+ts.Getenv(k))
	}
	for _, kv := range st.env.Vars {
		k, _, _ := strings.Cut(kv, "=")
		add(k)
	}
	for k := range st.set {
		add(k)
	}
	return append(env, "PWD="+ts.MkAbs("."))
}

// close runs when the script ends: it closes every session and stops every
// fake, failing the test for a fake whose scenario was not played as
// written.
func (st *state) close() {
	for _, s := range st.sessions {
		s.cs.Close() // the script is over: an unclean exit says nothing more
	}
	for kind, f := range st.fakes {
		if problems := f.stop(); len(problems) > 0 {
			st.fail(fmt.Sprintf("script %s: fake %s, still running at its end, did not play %s as written:\n\t%s", f.script, kind, f.file, strings.Join(problems, "\n\t")))
		}
	}
	st.sessions, st.fakes = nil, nil
}

// fail marks the test failed without stopping it, so that the other
// deferred work of the script still runs.
func (st *state) fail(msg string) {
	if t, ok := st.t.(interface{ Error(...any) }); ok {
		t.Error(msg)
		return
	}
	st.t.Log(msg)
	st.t.FailNow()
}
