package scriptcmd

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func helpCmd() command {
	return command{
		name:    "help",
		args:    "[-v] [COMMAND...]",
		summary: "print the usage of scriptcmd's commands",
		detail: []string{
			"Prints each COMMAND's arguments and what it does, or every command's with no COMMAND; a command with subcommands (mcp, fake) prints them all. With -v, the details too. testscript's own commands (exec, stdout, env...) are described in the testscript package's documentation.",
		},
		run: help,
	}
}

func help(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "help")
	fs := flag.NewFlagSet("help", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "print the details")
	parseFlags(ts, fs, args)
	ts.Check(Help(ts.Stdout(), *verbose, fs.Args()...))
}

// Help writes the usage of the named commands to w, or of every command
// when names is empty, as the help command prints it: each command's
// arguments, then its summary on an indented line, and with verbose its
// details wrapped below. A name with subcommands, such as mcp, stands for
// all of them, unless a subcommand follows it (mcp call). Help returns an error, and writes nothing, when a name is
// not one of the commands.
func Help(w io.Writer, verbose bool, names ...string) error {
	cmds := table()
	var picked []command
	for i := 0; i < len(names); i++ {
		name := names[i]
		if i+1 < len(names) && isCommand(cmds, name+" "+names[i+1]) {
			name += " " + names[i+1]
			i++
		}
		n := len(picked)
		for _, c := range cmds {
			if group, _, _ := strings.Cut(c.name, " "); c.name == name || group == name {
				picked = append(picked, c)
			}
		}
		if len(picked) == n {
			return fmt.Errorf("no command %q (help with no name lists them)", name)
		}
	}
	if len(names) == 0 {
		picked = cmds
	}
	var b strings.Builder
	for _, c := range picked {
		fmt.Fprintf(&b, "%s %s\n\t%s\n", c.name, c.args, c.summary)
		if verbose {
			for _, p := range c.detail {
				b.WriteString("\n")
				wrap(&b, p, 60, "\t")
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func isCommand(cmds []command, name string) bool {
	for _, c := range cmds {
		if c.name == name {
			return true
		}
	}
	return false
}

// wrap writes the words of paragraph p in lines of at most width
// characters (a longer word has a line of its own), each after indent. A
// paragraph of several lines is a table or an example: its lines are
// written as they are.
func wrap(b *strings.Builder, p string, width int, indent string) {
	if strings.Contains(p, "\n") {
		for line := range strings.Lines(p) {
			b.WriteString(indent + strings.TrimSuffix(line, "\n") + "\n")
		}
		return
	}
	n := 0
	for _, word := range strings.Fields(p) {
		switch {
		case n == 0:
			b.WriteString(indent)
		case n+1+len(word) > width:
			b.WriteString("\n" + indent)
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	if n > 0 {
		b.WriteString("\n")
	}
}
