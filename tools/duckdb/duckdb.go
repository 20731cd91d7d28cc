// Package duckdb provides the query tool of the duckdbserver binary: SQL on
// an embedded DuckDB (github.com/duckdb/duckdb-go, no external program),
// answered as a typed table (column names and types, rows, row count) and
// the same table as text.
//
// Each MCP session gets its own in-memory database, closed when the session
// ends; a call may name a database file instead, shared by every session
// that names it. Confinement is DuckDB's own: with roots, DuckDB's
// external access is disabled except for those directories and the
// configuration is locked, so SQL cannot lift it; in read-only mode a
// database file is opened read-only and only statements that DuckDB's
// parser classifies as reads (SELECT, EXPLAIN, PRAGMA, CALL) run, which
// keeps COPY ... TO and EXPORT from writing files. A query that outlives
// its timeout is interrupted inside DuckDB, not abandoned.
package duckdb

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

// Defaults of the tool.
const (
	DefaultMaxRows = 1000
	DefaultTimeout = time.Minute
)

// Input is the tool's arguments.
type Input struct {
	Query    string `json:"query" jsonschema:"the SQL to run; several statements separated by ; run in order and the last one's result is returned"`
	Database string `json:"database,omitempty" jsonschema:"absolute path of a DuckDB database file (created if missing); default: an in-memory database that lives as long as the session"`
	MaxRows  int    `json:"max_rows,omitempty" jsonschema:"the most rows returned; default 1000"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the database files and the files SQL may read or
	// write to its roots; nil or no roots means no confinement.
	Policy *toolkit.Policy
	// ReadOnly refuses every statement that writes.
	ReadOnly bool
	// Timeout bounds each query; DuckDB interrupts it when it expires.
	// Default [DefaultTimeout].
	Timeout time.Duration
	// MaxOutput caps the text table, in characters; zero or less means no
	// limit. The structured result is bounded by max_rows only.
	MaxOutput int
	// Logger logs each query; nil means no logging.
	Logger *slog.Logger
}

// Register adds the query tool to s. Databases opened for a session are
// closed when the session ends; call the returned function to close those
// still open when the server stops.
func Register(s *mcp.Server, opts *Options) (closeAll func() error) {
	t := newTool(opts)
	readOnly := t.opts.ReadOnly
	mcp.AddTool(s, &mcp.Tool{
		Name:        "query",
		Description: description,
		Annotations: &mcp.ToolAnnotations{
			ReadOnlyHint:    readOnly,
			DestructiveHint: new(!readOnly),
			OpenWorldHint:   new(false),
		},
	}, t.query)
	return t.dbs.closeAll
}

type tool struct {
	opts Options
	dbs  *databases
}

func newTool(opts *Options) *tool {
	t := &tool{}
	if opts != nil {
		t.opts = *opts
	}
	t.opts.Timeout = cmp.Or(t.opts.Timeout, DefaultTimeout)
	if t.opts.Logger == nil {
		t.opts.Logger = slog.New(slog.DiscardHandler)
	}
	t.dbs = newDatabases(config{roots: t.opts.Policy.Roots(), readOnly: t.opts.ReadOnly})
	return t
}

func (t *tool) query(ctx context.Context, req *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, *Output, error) {
	if strings.TrimSpace(in.Query) == "" {
		return nil, nil, errors.New("query is empty; give the SQL to run")
	}
	maxRows := in.MaxRows
	switch {
	case maxRows < 0:
		return nil, nil, fmt.Errorf("max_rows must be positive, got %d", maxRows)
	case maxRows == 0:
		maxRows = DefaultMaxRows
	}
	path := ""
	if in.Database != "" && in.Database != ":memory:" {
		p, err := t.opts.Policy.Resolve(in.Database)
		if err != nil {
			return nil, nil, err
		}
		path = p
	}
	db, err := t.dbs.get(ctx, req.Session, path)
	if err != nil {
		return nil, nil, err
	}
	t.opts.Logger.Info("query", "database", cmp.Or(path, ":memory:"), "sql", in.Query)
	ctx, cancel := context.WithTimeout(ctx, t.opts.Timeout)
	defer cancel()
	out, err := run(ctx, db, in.Query, maxRows, t.opts.ReadOnly)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, nil, fmt.Errorf("the query was interrupted after the %s timeout; make it cheaper (filter early, aggregate, add LIMIT) or ask for a longer -query-timeout", t.opts.Timeout)
		}
		return nil, nil, err
	}
	text := toolkit.Truncate(out.Text(), t.opts.MaxOutput, "ask for fewer rows or columns")
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

// displayName is how a database is named in messages.
func displayName(path string) string {
	if path == "" {
		return "the in-memory database"
	}
	return filepath.Base(path)
}
