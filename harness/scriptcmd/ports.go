package scriptcmd

import (
	"flag"
	"net"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func freeportCmd() command {
	return command{
		name:    "freeport",
		args:    "VAR...",
		summary: "set each VAR to a free TCP port on 127.0.0.1",
		detail: []string{
			"The port was free a moment ago: another process could take it before the server that is given it listens, which on a test machine is rare enough.",
		},
		run: freeport,
	}
}

func freeport(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "freeport")
	if len(args) == 0 {
		fatalUsage(ts, "freeport")
	}
	for _, name := range args {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		port := l.Addr().(*net.TCPAddr).Port
		ts.Check(l.Close())
		setenv(ts, name, strconv.Itoa(port))
	}
}

func waitportCmd() command {
	return command{
		name:    "waitport",
		args:    "[-timeout D] PORT",
		summary: "wait until 127.0.0.1:PORT accepts connections",
		detail: []string{
			"Polls every 20ms and fails after D (default 30s).",
		},
		run: waitport,
	}
}

func waitport(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("waitport", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait")
	noNeg(ts, neg, "waitport")
	if parseFlags(ts, fs, args) != 1 {
		fatalUsage(ts, "waitport")
	}
	addr := net.JoinHostPort("127.0.0.1", fs.Arg(0))
	deadline := time.Now().Add(*timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("nothing listens on %s after %v: %v", addr, *timeout, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a port: there is no event to wait on
	}
}
