package app

import (
	_ "embed"
	"fmt"
	"os"
	"runtime"
	"strings"
	"text/template"
	"time"

	"github.com/owulveryck/gomcptest/host/toolbox"
)

//go:embed system.md
var systemText string

// systemTemplate is the host's default system instruction.
var systemTemplate = template.Must(template.New("system").Funcs(template.FuncMap{"join": strings.Join}).Parse(systemText))

// systemInstruction returns the host's system instruction for a request
// made at a time: the text of -system-prompt or SYSTEM_INSTRUCTION when
// given, else the default, which tells the model the working directory of
// its tools, their roots, the OS and the date, so that it can give the
// absolute paths the file tools need. An empty text turns it off (nil).
func systemInstruction(cfg config, specs []toolbox.ServerSpec) (func(time.Time) string, error) {
	if cfg.systemSet {
		if cfg.system == "" {
			return nil, nil
		}
		text := cfg.system
		return func(time.Time) string { return text }, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("the working directory for the system instruction: %w", err)
	}
	data := struct {
		Dir, OS, Date string
		Roots         []string
	}{Dir: dir, OS: runtime.GOOS + "/" + runtime.GOARCH, Roots: roots(specs)}
	return func(now time.Time) string {
		d := data
		d.Date = now.Format("Monday 2 January 2006")
		var b strings.Builder
		_ = systemTemplate.Execute(&b, d) // the template is ours and tested
		return b.String()
	}, nil
}

// roots returns the -root folders given to the stdio servers of specs, in
// order, without repeats.
func roots(specs []toolbox.ServerSpec) []string {
	var out []string
	add := func(r string) {
		for _, o := range out {
			if o == r {
				return
			}
		}
		out = append(out, r)
	}
	for _, s := range specs {
		for i, a := range s.Args {
			name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !strings.HasPrefix(a, "-") || name != "root" {
				continue
			}
			if hasValue {
				add(value)
			} else if i+1 < len(s.Args) {
				add(s.Args[i+1])
			}
		}
	}
	return out
}
