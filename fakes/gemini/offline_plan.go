package fakegemini

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// This file turns the clauses of a prompt into tasks: each the ways to do
// what the clause asks, a tool and its arguments, the preferred first. The
// intents are matched in the order below; a clause matches one at most.

// An option is one way to do a task: a tool by the name it is known by
// (a declared "prefix_NAME" answers to NAME too) and arguments.
type option struct {
	tool string
	args map[string]any
}

// A task is what one clause asks for.
type task struct {
	clause  clause
	options []option
	// later reports whether the task waits for the results of the tasks
	// before it.
	later bool
	// check, set on a verification, is what its result should show.
	check *check
}

// A check is what a verification looks for in the result: the file's
// name, and the text written into it.
type check struct {
	path, content string
}

// planner matches intents, clause after clause; it remembers the file
// the prompt wrote, for "and then verify it exists".
type planner struct {
	wd                 string
	written, wroteText string
}

var (
	runWord    = regexp.MustCompile(`(?i)\b(?:run|execute)\b`)
	sleepWord  = regexp.MustCompile(`(?i)\b(?:sleep|pause|wait|nap)\b`)
	duration   = regexp.MustCompile(`(?i)\b(\d+(?:\.\d+)?)\s*(ms|milliseconds?|m|mins?|minutes?)?\b`)
	verifyWord = regexp.MustCompile(`(?i)\b(?:verify|check|confirm|make sure|ensure)\b`)
	verifyWhat = regexp.MustCompile(`(?i)\b(?:exists?|there|written|created|worked|contains?|content|text|it)\b`)
	aboutText  = regexp.MustCompile(`(?i)\b(?:contains?|content|says|text|reads|holds)\b`)
	createWord = regexp.MustCompile(`(?i)\b(?:create|make)\b`)
	fileWord   = regexp.MustCompile(`(?i)\bfile\b`)
	writeWord  = regexp.MustCompile(`(?i)\b(?:write|save)\b`)
	withText   = regexp.MustCompile(`(?i)\b(?:with the (?:text|content|contents|line)|with (?:text|content)|containing|saying)\s+(.+)$`)
	findWord   = regexp.MustCompile(`(?i)\b(?:find|search|locate|look for|glob|grep)\b`)
	extension  = regexp.MustCompile(`(?:^|\s)\*?\.([A-Za-z0-9]+)\b`)
	language   = regexp.MustCompile(`(?i)\b(go|golang|python|javascript|typescript|java|rust|ruby|c|markdown|yaml|json|text|shell|html|css)\s+(?:source\s+)?files?\b`)
	named      = regexp.MustCompile(`(?i)\b(?:named|called)\s+(\S+)`)
	containing = regexp.MustCompile(`(?i)\b(?:containing|contains|contain|mentioning|matching)\s+(?:the\s+(?:word|text|string|pattern)\s+)?([^\s\x1a]*)`)
	lsWord     = regexp.MustCompile(`(?i)\b(?:list|ls)\b`)
	listWord   = regexp.MustCompile(`(?i)\b(?:list|ls)\b|\bfiles\s+(?:in|of|under)\b|\bwhat(?: is|'s| are) in\b`)
	here       = regexp.MustCompile(`(?i)\b(?:current|this|working|present) (?:directory|folder|dir|project)\b|\bcwd\b|\bhere\b`)
	listing    = regexp.MustCompile(`(?i)\b(?:list|ls|files|contents|show|what is in|what's in)\b`)
	readWord   = regexp.MustCompile(`(?i)\b(?:read|show|view|cat|open|display|print)\b`)
)

// maxTasks bounds what one prompt makes the model do.
const maxTasks = 16

// tasks plans the prompt: one task per clause, the clauses that match no
// intent included (a declared tool they name may still be called), the
// first maxTasks. A command to run without backticks is the rest of the
// prompt, which then ends.
func (pl *planner) tasks(text string) []task {
	var out []task
	for _, c := range clauses(text) {
		if len(out) == maxTasks {
			break
		}
		t := task{clause: c, later: c.later}
		last := pl.match(&t)
		out = append(out, t)
		if last {
			break
		}
	}
	return out
}

// match fills t's options from the first intent its clause matches; it
// reports whether the clause took the rest of the prompt.
func (pl *planner) match(t *task) (rest bool) {
	c := &t.clause
	paths := c.paths()
	var path string
	if len(paths) > 0 {
		path = resolve(paths[0], pl.wd)
	}
	switch {
	case runWord.MatchString(c.plain):
		cmd := ""
		for _, q := range c.quoted {
			if q.backtick {
				cmd = q.text
				break
			}
		}
		if cmd == "" {
			m := runWord.FindStringIndex(c.rest)
			cmd, rest = strings.TrimRight(strings.TrimSpace(c.rest[m[1]:]), ".!?"), true
		}
		if cmd != "" {
			t.options = []option{{"Bash", map[string]any{"command": cmd}}}
		}
	case sleepWord.MatchString(c.plain) && duration.MatchString(c.plain):
		m := duration.FindStringSubmatch(c.plain)
		v, _ := strconv.ParseFloat(m[1], 64)
		switch u := strings.ToLower(m[2]); {
		case strings.HasPrefix(u, "ms") || strings.HasPrefix(u, "milli"):
			v /= 1000
		case u != "":
			v *= 60
		}
		t.options = []option{{"sleep", map[string]any{"seconds": v}}, {"Bash", map[string]any{"command": "sleep " + strconv.FormatFloat(v, 'f', -1, 64)}}}
	case verifyWord.MatchString(c.plain) && verifyWhat.MatchString(c.plain) && (path != "" || pl.written != ""):
		ck := &check{path: path}
		if path == "" || path == pl.written {
			ck.path, ck.content = pl.written, pl.wroteText
			t.later = true
		}
		t.check = ck
		t.options = verifyOptions(ck.path, aboutText.MatchString(c.plain))
	case (createWord.MatchString(c.plain) && (fileWord.MatchString(c.plain) || filepath.Ext(path) != "") ||
		writeWord.MatchString(c.plain)) && len(paths) > 0:
		content, ok := c.firstQuoted(paths[0])
		if !ok {
			if m := withText.FindStringSubmatch(c.text); m != nil {
				content, ok = strings.TrimRight(m[1], ".!"), true
			}
		}
		if !ok && !createWord.MatchString(c.plain) {
			return false // writing asks for a text
		}
		pl.written, pl.wroteText = path, content
		t.options = []option{
			{"Replace", map[string]any{"file_path": path, "content": content}},
			{"Edit", map[string]any{"file_path": path, "old_string": "", "new_string": content}},
			{"Bash", map[string]any{"command": "printf '%s' " + shellWord(content) + " > " + shellWord(path)}},
		}
	case findWord.MatchString(c.plain):
		t.options = pl.find(c, paths)
	case len(paths) == 0 && (here.MatchString(c.plain) && listing.MatchString(c.plain) || lsWord.MatchString(c.plain)):
		t.options = pl.listHere()
	case listWord.MatchString(c.plain) && path != "":
		t.options = []option{
			{"LS", map[string]any{"path": path}},
			{"Bash", map[string]any{"command": "ls -la " + shellWord(path)}},
			{"GlobTool", map[string]any{"pattern": "*", "path": path}},
		}
	case readWord.MatchString(c.plain) && path != "":
		t.options = []option{
			{"View", map[string]any{"file_path": path}},
			{"Bash", map[string]any{"command": "cat " + shellWord(path)}},
		}
	}
	return rest
}

// verifyOptions checks that a file exists (its folder's listing first) or,
// when the clause asks about the text, what it holds (the file first).
func verifyOptions(path string, content bool) []option {
	dir := parent(path)
	list := []option{
		{"LS", map[string]any{"path": dir}},
		{"View", map[string]any{"file_path": path}},
		{"GlobTool", map[string]any{"pattern": filepath.Base(path), "path": dir}},
		{"Bash", map[string]any{"command": "ls -la " + shellWord(path)}},
	}
	if content {
		list[0], list[1] = list[1], list[0]
	}
	return list
}

// listHere lists the working directory: LS with its absolute path when
// it is known; else a shell or a glob, which run there.
func (pl *planner) listHere() []option {
	bash := option{"Bash", map[string]any{"command": "pwd && ls -la"}}
	if pl.wd == "" {
		return []option{bash, {"GlobTool", map[string]any{"pattern": "*"}}, {"LS", map[string]any{"path": "."}}}
	}
	return []option{{"LS", map[string]any{"path": pl.wd}}, bash, {"GlobTool", map[string]any{"pattern": "*", "path": pl.wd}}}
}

// find looks for files by extension, language or name (GlobTool), or for
// the files holding a text (GrepTool), in the folder the clause names or
// the working directory.
func (pl *planner) find(c *clause, paths []string) []option {
	glob := ""
	switch {
	case extension.MatchString(c.plain):
		glob = "*." + extension.FindStringSubmatch(c.plain)[1]
	case language.MatchString(c.plain):
		glob = "*." + languageExt(language.FindStringSubmatch(c.plain)[1])
	case named.MatchString(c.plain):
		glob = strings.Trim(named.FindStringSubmatch(c.plain)[1], ",;:!?()\"'")
	}
	dir := pl.wd
	for _, p := range paths {
		if p == glob {
			continue
		}
		if glob == "" && filepath.Ext(p) != "" && !strings.Contains(p, "/") {
			glob = p // "find main.go"
			continue
		}
		dir = resolve(p, pl.wd)
		break
	}
	with := func(args map[string]any) map[string]any {
		if dir != "" {
			args["path"] = dir
		}
		return args
	}
	where := dir
	if where == "" {
		where = "."
	}
	if m := containing.FindStringSubmatchIndex(c.plain); m != nil {
		text := strings.Trim(c.plain[m[2]:m[3]], ",;:!?")
		for _, q := range c.quoted {
			if q.start >= m[0] {
				text = q.text
				break
			}
		}
		if text != "" {
			args := map[string]any{"pattern": regexp.QuoteMeta(text)}
			cmd := "grep -rln " + shellWord(text)
			if glob != "" {
				args["include"] = glob
				cmd += " --include=" + shellWord(glob)
			}
			return []option{{"GrepTool", with(args)}, {"Bash", map[string]any{"command": cmd + " " + shellWord(where)}}}
		}
	}
	if glob == "" {
		if q, ok := c.firstQuoted(""); ok && findWord.MatchString(c.plain) && !strings.ContainsAny(q, "*?") {
			return []option{{"GrepTool", with(map[string]any{"pattern": regexp.QuoteMeta(q)})},
				{"Bash", map[string]any{"command": "grep -rn " + shellWord(q) + " " + shellWord(where)}}}
		}
		return nil
	}
	pattern := glob
	if !strings.Contains(glob, "/") {
		pattern = "**/" + glob
	}
	return []option{
		{"GlobTool", with(map[string]any{"pattern": pattern})},
		{"Bash", map[string]any{"command": "find " + shellWord(where) + " -type f -name " + shellWord(glob)}},
	}
}

// languageExt is the file extension of a language's sources.
func languageExt(lang string) string {
	switch strings.ToLower(lang) {
	case "golang":
		return "go"
	case "python":
		return "py"
	case "javascript":
		return "js"
	case "typescript":
		return "ts"
	case "rust":
		return "rs"
	case "ruby":
		return "rb"
	case "markdown":
		return "md"
	case "text":
		return "txt"
	case "shell":
		return "sh"
	}
	return strings.ToLower(lang)
}

// describe writes a call for a sentence: NAME {"arg":...}.
func describe(name string, args map[string]any) string {
	return fmt.Sprintf("`%s` with `%s`", name, compact(args))
}
