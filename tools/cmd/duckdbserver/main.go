// Command duckdbserver is an MCP server with one tool, query, which runs
// SQL on an embedded DuckDB. Run "duckdbserver -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/duckdb"
)

func main() { os.Exit(duckdb.Main()) }
