package duckdb

import (
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// BenchmarkAggregate runs one aggregate over a 1-million-row CSV file,
// through the query tool over stdio (newline-delimited JSON-RPC on pipes,
// as a host talks to the binary) and directly on the driver, in-process.
// The MCP layer should cost little beside DuckDB: within 1.2x plus 2 ms.
// The metrics driver-ms/op and mcp-ms/op give each side.
func BenchmarkAggregate(b *testing.B) {
	csv := filepath.Join(b.TempDir(), "rows.csv")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`COPY (SELECT range AS id, range % 100 AS k, (range * 7919) % 1000 / 10.0 AS v FROM range(1000000)) TO '` + csv + `'`); err != nil {
		b.Fatal(err)
	}
	query := "SELECT k, count(*) AS n, sum(v) AS total, avg(v) AS mean FROM '" + csv + "' GROUP BY k ORDER BY k"

	cs := stdioSession(b)
	direct := func() {
		rows, err := db.Query(query)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var k, count int64
			var total, mean float64
			if err := rows.Scan(&k, &count, &total, &mean); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100 {
			b.Fatalf("%d groups, want 100", n)
		}
	}
	viaMCP := func() {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "query", Arguments: map[string]any{"query": query}})
		if err != nil || res.IsError {
			b.Fatalf("%v %v", err, res)
		}
		if n := res.StructuredContent.(map[string]any)["row_count"]; n != 100.0 {
			b.Fatalf("%v groups, want 100", n)
		}
	}
	// The two alternate, so that a busy machine slows both alike; ns/op
	// counts both, the metrics each.
	var driverTime, mcpTime time.Duration
	for b.Loop() {
		start := time.Now()
		direct()
		driverTime += time.Since(start)
		start = time.Now()
		viaMCP()
		mcpTime += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(driverTime.Seconds()*1000/n, "driver-ms/op")
	b.ReportMetric(mcpTime.Seconds()*1000/n, "mcp-ms/op")
	b.ReportMetric(float64(mcpTime)/float64(driverTime), "mcp/driver")
}

// stdioSession serves the tool over a pair of pipes with the binary's
// stdio code and returns a client session on them.
func stdioSession(b *testing.B) *mcp.ClientSession {
	s := mcp.NewServer(&mcp.Implementation{Name: "duckdbserver", Version: "v0"}, nil)
	closeAll := Register(s, nil)
	toServer, clientOut := io.Pipe()
	clientIn, fromServer := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- toolkit.ServeStdio(ctx, s, toServer, fromServer) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "v0"}, nil).
		Connect(ctx, &mcp.IOTransport{Reader: clientIn, Writer: clientOut}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cs.Close()
		clientOut.Close()
		cancel()
		<-done
		closeAll()
	})
	return cs
}
