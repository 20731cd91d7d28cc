package duckdb

import (
	"context"
	"flag"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the duckdbserver MCP server binary with the process's
// arguments and returns its exit code.
func Main() int {
	var (
		readOnly bool
		timeout  time.Duration
	)
	return toolkit.Main(toolkit.Program{
		Name:         "duckdbserver",
		Summary:      "runs SQL on an embedded DuckDB, reading CSV, Parquet and JSON files by path (tool: query)",
		Instructions: "The query tool runs DuckDB SQL. Read files by absolute path (SELECT * FROM '/data/x.csv'); without a database argument, tables live in a per-session in-memory database.",
		Example:      toolkit.Example{Tool: "query", Arguments: `{"query":"SELECT 42 AS answer"}`},
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&readOnly, "read-only", false, "refuse every statement that writes (database files are opened read-only; COPY TO and EXPORT are refused)")
			fs.DurationVar(&timeout, "query-timeout", DefaultTimeout, "interrupt a query that runs longer than `DURATION`")
		},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			// The process ends with the server, and DuckDB's files are
			// consistent at every commit, so closing at exit is not needed.
			Register(s, &Options{Policy: cfg.Policy, ReadOnly: readOnly, Timeout: timeout, MaxOutput: cfg.MaxOutput, Logger: cfg.Logger})
			return nil
		},
	})
}
