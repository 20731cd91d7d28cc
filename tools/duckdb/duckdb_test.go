package duckdb

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// server registers the tool with opts and returns a function that opens
// a new client session on it.
func server(t *testing.T, opts *Options) func() *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "duckdbserver", Version: "v0"}, nil)
	closeAll := Register(s, opts)
	t.Cleanup(func() { closeAll() })
	return func() *mcp.ClientSession { return tooltest.Connect(t, s, nil) }
}

func call(t *testing.T, cs *mcp.ClientSession, args map[string]any) (text string, structured map[string]any, isError bool) {
	t.Helper()
	res := tooltest.Call(t, cs, "query", args)
	m, _ := res.StructuredContent.(map[string]any)
	return tooltest.Text(t, res), m, res.IsError
}

func mustQuery(t *testing.T, cs *mcp.ClientSession, args map[string]any) (string, map[string]any) {
	t.Helper()
	text, out, isErr := call(t, cs, args)
	if isErr {
		t.Fatalf("query %v failed: %s", args["query"], text)
	}
	return text, out
}

func fixture(t *testing.T) string {
	t.Helper()
	return must(filepath.Abs("testdata/sales.csv"))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestQueryCSV(t *testing.T) {
	cs := server(t, nil)()
	text, out := mustQuery(t, cs, map[string]any{"query": "SELECT region, sum(units) AS units, sum(units*price)::DECIMAL(10,2) AS revenue, min(day) AS first FROM '" + fixture(t) + "' GROUP BY region ORDER BY region"})
	want := map[string]any{
		"columns": []any{
			map[string]any{"name": "region", "type": "VARCHAR"},
			map[string]any{"name": "units", "type": "HUGEINT"},
			map[string]any{"name": "revenue", "type": "DECIMAL(10,2)"},
			map[string]any{"name": "first", "type": "DATE"},
		},
		"rows": []any{
			[]any{"east", 12.0, 14.4, "2024-01-04"},
			[]any{"north", 17.0, 27.2, "2024-01-02"},
			[]any{"south", 7.0, 11.35, "2024-01-02"},
		},
		"row_count": 3.0,
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("structured result (-want +got):\n%s", diff)
	}
	wantText := `region  | units   | revenue       | first
VARCHAR | HUGEINT | DECIMAL(10,2) | DATE
--------+---------+---------------+-----------
east    | 12      | 14.40         | 2024-01-04
north   | 17      | 27.20         | 2024-01-02
south   | 7       | 11.35         | 2024-01-02
(3 rows)
`
	if diff := cmp.Diff(wantText, text); diff != "" {
		t.Errorf("text table (-want +got):\n%s", diff)
	}
}
