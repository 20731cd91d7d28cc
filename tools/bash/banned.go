package bash

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// DefaultBanned returns the commands the Bash tool refuses by default:
// network clients and browsers, which would let a model reach the network,
// and alias, which could rename them.
func DefaultBanned() []string {
	return []string{
		"alias", "curl", "curlie", "wget", "axel", "aria2c", "nc", "telnet",
		"lynx", "w3m", "links", "httpie", "xh", "http-prompt",
		"chrome", "firefox", "safari",
	}
}

// wrappers run their first non-option argument as a command.
var wrappers = map[string]bool{
	"builtin": true, "command": true, "env": true, "exec": true, "nice": true,
	"nohup": true, "setsid": true, "stdbuf": true, "sudo": true, "doas": true, "busybox": true,
	"time": true, "timeout": true, "watch": true, "xargs": true,
}

// lookups print where a command is, for $(which curl) to run it: looking
// up a banned name counts as calling it.
var lookups = map[string]bool{"which": true, "type": true, "whereis": true}

// shells run the script given after -c.
var shells = map[string]bool{
	"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "mksh": true,
}

// findBanned parses script as bash and returns the first command it would
// run whose name is in banned, or "" if none is. It looks at every simple
// command, wherever it is (pipelines, lists, subshells, $(...), `...`,
// functions), at what a quote-free reading of its literal name gives
// (c"u"rl, 'wget', /usr/bin/nc, \curl), at the command after wrappers
// (env, sudo, xargs, ...), at the names that which, type and whereis
// look up ($(which curl)) and into the script of eval and of a shell's -c,
// whatever options come with it (bash -lc, sh -ec, env bash --login -c).
//
// It cannot see a name built at run time ($cmd, $(echo curl), $'\x63url',
// {curl,}, /usr/bin/cur?), a wrapper option that takes a value (env -u X
// curl, exec -a x curl, sudo -u root curl), commands run by other
// programs (find -exec, git -c core.pager=...) or a script piped into a
// shell: the check stops a model's mistakes, not a determined attacker.
// A script that does not parse is an error, since bash would not run it
// either.
func findBanned(script string, banned map[string]bool) (string, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return "", err
	}
	var found string
	var walkErr error
	syntax.Walk(f, func(node syntax.Node) bool {
		if found != "" || walkErr != nil {
			return false
		}
		call, ok := node.(*syntax.CallExpr)
		if !ok {
			return true
		}
		found, walkErr = checkCall(call.Args, banned)
		return found == "" && walkErr == nil
	})
	return found, walkErr
}

// checkCall checks the command that args runs.
func checkCall(args []*syntax.Word, banned map[string]bool) (string, error) {
	for len(args) > 0 {
		name, ok := literal(args[0])
		if !ok {
			return "", nil
		}
		base := path.Base(name)
		switch {
		case banned[base]:
			return base, nil
		case base == "eval":
			return checkScript(args[1:], banned)
		case shells[base]:
			return checkScript(shellScript(args[1:]), banned)
		case lookups[base]:
			for _, a := range args[1:] {
				if s, ok := literal(a); ok && banned[path.Base(s)] {
					return path.Base(s), nil
				}
			}
			return "", nil
		case wrappers[base]:
			args = skipOptions(args[1:])
		default:
			return "", nil
		}
	}
	return "", nil
}

// shellScript returns the word that a shell given args runs as a script
// because of -c, wherever c is in the options (bash -lc, sh -ec, bash -l
// -c, bash --login -c), or nil when args run a script file or nothing.
// It follows the options of bash, which the other shells share: -o and -O
// take a value, as do --rcfile and --init-file, and - or -- ends them.
func shellScript(args []*syntax.Word) []*syntax.Word {
	script := false
	for i := 0; i < len(args); i++ {
		s, ok := literal(args[i])
		switch {
		case !ok || !(strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+")):
			// The first operand: the script with -c, else a script file.
		case s == "-" || s == "--":
			i++
		case s == "--rcfile" || s == "--init-file":
			i++
			continue
		case strings.HasPrefix(s, "--"):
			continue
		default:
			for _, c := range s[1:] {
				switch {
				case c == 'c' && s[0] == '-':
					script = true
				case c == 'o' || c == 'O':
					i++
				}
			}
			continue
		}
		if script && i < len(args) {
			return args[i : i+1]
		}
		return nil
	}
	return nil
}

// checkScript checks the literal words of args, joined by spaces, as a
// script of their own.
func checkScript(args []*syntax.Word, banned map[string]bool) (string, error) {
	var parts []string
	for _, a := range args {
		s, ok := literal(a)
		if !ok {
			return "", nil
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "", nil
	}
	name, err := findBanned(strings.Join(parts, " "), banned)
	if err != nil {
		return "", fmt.Errorf("in the script given to eval or sh -c: %w", err)
	}
	return name, nil
}

// skipOptions drops the options, assignments (env X=1) and numbers
// (timeout 5, nice -n 10) before a wrapper's command.
func skipOptions(args []*syntax.Word) []*syntax.Word {
	for len(args) > 0 {
		s, ok := literal(args[0])
		if !ok || !(strings.HasPrefix(s, "-") || strings.Contains(s, "=") || startsWithDigit(s)) {
			return args
		}
		args = args[1:]
	}
	return args
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// literal returns the value of w after quote removal, if it holds only
// literal text and quotes, nothing expanded at run time.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, func(byte) bool { return true }))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, inner := range p.Parts {
				lit, ok := inner.(*syntax.Lit)
				if !ok {
					return "", false
				}
				// Inside double quotes a backslash escapes only these.
				b.WriteString(unescape(lit.Value, func(c byte) bool { return strings.IndexByte("$`\"\\\n", c) >= 0 }))
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape removes the backslashes that escape a character for which
// escapes reports true.
func unescape(s string, escapes func(byte) bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && escapes(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
