package scriptcmd

import (
	"flag"
	"net"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// freeport sets each named variable to a port that was free a moment ago.
// Another process could take it in between; on a test machine that is rare
// enough, and far simpler than passing addresses back from servers.
func freeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: freeport VAR...")
	}
	for _, name := range args {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		port := l.Addr().(*net.TCPAddr).Port
		ts.Check(l.Close())
		ts.Setenv(name, strconv.Itoa(port))
	}
}

// waitport waits until something listens on 127.0.0.1:PORT, polling every
// 20ms, and fails after the timeout (default 30s).
func waitport(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("waitport", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || neg {
		ts.Fatalf("usage: waitport [-timeout D] PORT")
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
