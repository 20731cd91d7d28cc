package duckdb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

func TestSessionDatabases(t *testing.T) {
	connect := server(t, nil)
	a, b := connect(), connect()
	mustQuery(t, a, map[string]any{"query": "CREATE TABLE notes(n INT); INSERT INTO notes VALUES (1), (2)"})
	_, out := mustQuery(t, a, map[string]any{"query": "SELECT count(*) AS n FROM notes"})
	if got := out["rows"]; !equalJSON(got, []any{[]any{2.0}}) {
		t.Errorf("rows in the same session = %v, want [[2]]", got)
	}
	text, _, isErr := call(t, b, map[string]any{"query": "SELECT count(*) FROM notes"})
	if !isErr || !strings.Contains(text, "Table with name notes does not exist") {
		t.Errorf("another session sees the table: isError=%v %s", isErr, text)
	}

	// A database file is shared by the sessions that name it.
	file := filepath.Join(t.TempDir(), "shared.duckdb")
	mustQuery(t, a, map[string]any{"query": "CREATE TABLE t AS SELECT 42 AS answer", "database": file})
	_, out = mustQuery(t, b, map[string]any{"query": "SELECT answer FROM t", "database": file})
	if got := out["rows"]; !equalJSON(got, []any{[]any{42.0}}) {
		t.Errorf("rows from the file in another session = %v, want [[42]]", got)
	}
}

func TestDuckDBError(t *testing.T) {
	cs := server(t, nil)()
	text, _, isErr := call(t, cs, map[string]any{"query": "SELEC 1"})
	if !isErr || !strings.Contains(text, "Parser Error: syntax error at or near \"SELEC\"") {
		t.Errorf("isError=%v, text %q; want DuckDB's parser error", isErr, text)
	}
	text, _, isErr = call(t, cs, map[string]any{"query": "  "})
	if !isErr || !strings.Contains(text, "query is empty") {
		t.Errorf("empty query: isError=%v %q", isErr, text)
	}
	text, _, isErr = call(t, cs, map[string]any{"query": "SELECT 1", "database": "relative.db"})
	if !isErr || !strings.Contains(text, "path is relative") {
		t.Errorf("relative database: isError=%v %q", isErr, text)
	}
}

func TestMaxRows(t *testing.T) {
	cs := server(t, nil)()
	text, out := mustQuery(t, cs, map[string]any{"query": "SELECT range AS i FROM range(10)", "max_rows": 3})
	if !equalJSON(out["rows"], []any{[]any{0.0}, []any{1.0}, []any{2.0}}) || out["truncated"] != true || out["row_count"] != 3.0 {
		t.Errorf("structured = %v; want 3 rows, truncated", out)
	}
	if !strings.Contains(text, "(3 rows)\n[showing the first 3 rows; the result has more") {
		t.Errorf("text does not say it was cut:\n%s", text)
	}
	_, out = mustQuery(t, cs, map[string]any{"query": "SELECT range AS i FROM range(3)", "max_rows": 3})
	if out["truncated"] != nil {
		t.Errorf("exactly max_rows rows marked truncated: %v", out)
	}
	_, out = mustQuery(t, cs, map[string]any{"query": "SELECT range AS i FROM range(1500)"})
	if out["row_count"] != float64(DefaultMaxRows) {
		t.Errorf("default max_rows: row_count %v, want %d", out["row_count"], DefaultMaxRows)
	}
}

// TestTimeoutInterrupts runs a cross join that would take hours and checks
// that the call ends soon after the timeout, and that the session's
// database is usable right after, which it would not be if the query
// still held the connection.
func TestTimeoutInterrupts(t *testing.T) {
	cs := server(t, &Options{Timeout: 200 * time.Millisecond})()
	start := time.Now()
	text, _, isErr := call(t, cs, map[string]any{"query": "SELECT count(*) FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range = 7"})
	elapsed := time.Since(start)
	if !isErr || !strings.Contains(text, "interrupted after the 200ms timeout") {
		t.Errorf("isError=%v, text %q; want the timeout", isErr, text)
	}
	if elapsed > 20*time.Second {
		t.Errorf("the call took %v; the query was not interrupted", elapsed)
	}
	done := time.Now()
	mustQuery(t, cs, map[string]any{"query": "SELECT 1"})
	if d := time.Since(done); d > 5*time.Second {
		t.Errorf("the next query waited %v for the connection", d)
	}
}

func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "data.duckdb")
	rw, err := open(t.Context(), file, config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec("CREATE TABLE t AS SELECT 1 AS a"); err != nil {
		t.Fatal(err)
	}
	rw.Close()

	cs := server(t, &Options{ReadOnly: true})()
	_, out := mustQuery(t, cs, map[string]any{"query": "SELECT a FROM t", "database": file})
	if !equalJSON(out["rows"], []any{[]any{1.0}}) {
		t.Errorf("read from the file: %v", out["rows"])
	}
	mustQuery(t, cs, map[string]any{"query": "SELECT count(*) FROM '" + fixture(t) + "'"})

	copyTo := filepath.Join(dir, "out.csv")
	refused := []struct{ query, database, want string }{
		{"INSERT INTO t VALUES (2)", file, "classifies this statement as INSERT"},
		{"CREATE TABLE u(a INT)", "", "classifies this statement as CREATE"},
		{"COPY (SELECT 1) TO '" + copyTo + "'", "", "classifies this statement as COPY"},
		{"SELECT 1; SELECT 2", "", "one statement per call"},
		{"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o", "", "classifies this statement as ATTACH"},
	}
	for _, r := range refused {
		args := map[string]any{"query": r.query}
		if r.database != "" {
			args["database"] = r.database
		}
		text, _, isErr := call(t, cs, args)
		if !isErr || !strings.Contains(text, r.want) {
			t.Errorf("%s: isError=%v, %q; want a refusal containing %q", r.query, isErr, text, r.want)
		}
	}
	if _, err := os.Stat(copyTo); err == nil {
		t.Error("COPY TO wrote a file in read-only mode")
	}
	// DuckDB's own read-only check, beneath the statement filter.
	db, err := open(t.Context(), file, config{readOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO t VALUES (2)"); err == nil || !strings.Contains(err.Error(), "read-only mode") {
		t.Errorf("insert into a file opened read-only: %v; want DuckDB's refusal", err)
	}
}

func TestRoots(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	for _, d := range []string{root, outside} {
		if err := os.WriteFile(filepath.Join(d, "x.csv"), []byte("a\n1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	policy, err := toolkit.NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	root = policy.Roots()[0]
	cs := server(t, &Options{Policy: policy})()
	mustQuery(t, cs, map[string]any{"query": "SELECT * FROM '" + filepath.Join(root, "x.csv") + "'"})
	mustQuery(t, cs, map[string]any{"query": "CREATE TABLE t AS SELECT 1 AS a", "database": filepath.Join(root, "db.duckdb")})

	refused := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"query": "SELECT * FROM '" + filepath.Join(outside, "x.csv") + "'"}, "Permission Error"},
		{map[string]any{"query": "SELECT * FROM '" + root + "/../" + filepath.Base(outside) + "/x.csv'"}, "Permission Error"},
		{map[string]any{"query": "COPY (SELECT 1) TO '" + filepath.Join(outside, "y.csv") + "'"}, "Permission Error"},
		{map[string]any{"query": "SET enable_external_access = true"}, "the configuration has been locked"},
		{map[string]any{"query": "RESET allowed_directories"}, "the configuration has been locked"},
		{map[string]any{"query": "SELECT 1", "database": filepath.Join(outside, "db.duckdb")}, "outside the allowed roots"},
	}
	for _, r := range refused {
		text, _, isErr := call(t, cs, r.args)
		if !isErr || !strings.Contains(text, r.want) {
			t.Errorf("%v: isError=%v, %q; want %q", r.args, isErr, text, r.want)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "y.csv")); err == nil {
		t.Error("COPY TO wrote outside the roots")
	}
}

func TestFileFormats(t *testing.T) {
	dir := t.TempDir()
	cs := server(t, nil)()
	pq := filepath.Join(dir, "sales.parquet")
	js := filepath.Join(dir, "sales.json")
	mustQuery(t, cs, map[string]any{"query": "COPY (SELECT * FROM '" + fixture(t) + "') TO '" + pq + "' (FORMAT parquet)"})
	if err := os.WriteFile(js, []byte(`[{"region":"north","units":10},{"region":"south","units":4}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT sum(units) AS n FROM read_parquet('" + pq + "')",
		"SELECT sum(units) AS n FROM '" + pq + "'",
		"SELECT sum(units)+22 AS n FROM read_json('" + js + "')",
	} {
		_, out := mustQuery(t, cs, map[string]any{"query": q})
		if !equalJSON(out["rows"], []any{[]any{36.0}}) {
			t.Errorf("%s: rows %v, want [[36]]", q, out["rows"])
		}
	}
}

func TestValues(t *testing.T) {
	cs := server(t, nil)()
	_, out := mustQuery(t, cs, map[string]any{"query": `SELECT NULL AS n, true AS b, 'x' AS s, 1.5::DOUBLE AS d, 'nan'::DOUBLE AS nan,
		170141183460469231731687303715884105727::HUGEINT AS big, -0.05::DECIMAL(4,2) AS dec,
		DATE '2024-02-29' AS day, TIMESTAMP '2024-02-29 13:45:00.5' AS ts, TIME '01:02:03' AS tm,
		[1, 2] AS list, {'k': 'v'} AS st, MAP {'a': 1} AS mp, '00000000-0000-0000-0000-000000000001'::UUID AS id`})
	want := []any{[]any{nil, true, "x", 1.5, "NaN", 1.7014118346046923e38, -0.05, "2024-02-29", "2024-02-29T13:45:00.5", "01:02:03",
		[]any{1.0, 2.0}, map[string]any{"k": "v"}, []any{map[string]any{"key": "a", "value": 1.0}}, "00000000-0000-0000-0000-000000000001"}}
	if !equalJSON(out["rows"], want) {
		got, _ := json.Marshal(out["rows"])
		t.Errorf("rows = %s", got)
	}
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
