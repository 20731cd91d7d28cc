package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"

	duckdbdrv "github.com/duckdb/duckdb-go/v2"
)

// reads are the statement types a read-only server runs, as DuckDB's parser
// classifies them. COPY and EXPORT are left out: they write files even on a
// read-only database.
var reads = map[duckdbdrv.StmtType]bool{
	duckdbdrv.STATEMENT_TYPE_SELECT:  true,
	duckdbdrv.STATEMENT_TYPE_EXPLAIN: true,
	duckdbdrv.STATEMENT_TYPE_PRAGMA:  true,
	duckdbdrv.STATEMENT_TYPE_CALL:    true,
}

// run runs query on db and reads at most maxRows rows of its result.
// Cancelling ctx interrupts the query inside DuckDB.
func run(ctx context.Context, db *sql.DB, query string, maxRows int, readOnly bool) (*Output, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out *Output
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdbdrv.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		var rows driver.Rows
		var err error
		if readOnly {
			rows, err = queryReadOnly(ctx, c, query)
		} else {
			rows, err = c.QueryContext(ctx, query, nil)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = read(rows, maxRows)
		return err
	})
	return out, err
}

// queryReadOnly runs query if it is one statement that reads.
func queryReadOnly(ctx context.Context, c *duckdbdrv.Conn, query string) (driver.Rows, error) {
	s, err := c.Prepare(query)
	if err != nil {
		if strings.Contains(err.Error(), "multi-statement") {
			return nil, errors.New("this server is read-only and runs one statement per call; send the statements one at a time")
		}
		return nil, err
	}
	stmt := s.(*duckdbdrv.Stmt)
	typ, err := stmt.StatementType()
	if err != nil {
		stmt.Close()
		return nil, err
	}
	if !reads[typ] {
		stmt.Close()
		return nil, fmt.Errorf("this server is read-only: DuckDB classifies this statement as %s, which may write; only SELECT, EXPLAIN, PRAGMA and CALL run here", statementName(typ))
	}
	rows, err := stmt.QueryContext(ctx, nil)
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return closing{rows, stmt}, nil
}

// closing closes the statement after its rows.
type closing struct {
	driver.Rows
	stmt driver.Stmt
}

func (c closing) Close() error {
	return errors.Join(c.Rows.Close(), c.stmt.Close())
}

func (c closing) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := c.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// read collects the result: its columns and up to maxRows rows, noting
// whether more were left.
func read(rows driver.Rows, maxRows int) (*Output, error) {
	names := rows.Columns()
	out := &Output{Columns: make([]Column, len(names)), Rows: [][]any{}}
	typed, _ := rows.(driver.RowsColumnTypeDatabaseTypeName)
	for i, n := range names {
		out.Columns[i].Name = n
		if typed != nil {
			out.Columns[i].Type = typed.ColumnTypeDatabaseTypeName(i)
		}
	}
	for {
		dest := make([]driver.Value, len(names))
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(out.Rows) == maxRows {
			out.Truncated = true
			break
		}
		row := make([]any, len(dest))
		for i, v := range dest {
			row[i] = jsonValue(v, out.Columns[i].Type)
		}
		out.Rows = append(out.Rows, row)
	}
	out.RowCount = len(out.Rows)
	if out.Truncated {
		out.Note = fmt.Sprintf("showing the first %d rows; the result has more: aggregate, filter, or page with LIMIT and OFFSET (or raise max_rows)", maxRows)
	}
	return out, nil
}

var statementNames = map[duckdbdrv.StmtType]string{
	duckdbdrv.STATEMENT_TYPE_INSERT:       "INSERT",
	duckdbdrv.STATEMENT_TYPE_UPDATE:       "UPDATE",
	duckdbdrv.STATEMENT_TYPE_DELETE:       "DELETE",
	duckdbdrv.STATEMENT_TYPE_CREATE:       "CREATE",
	duckdbdrv.STATEMENT_TYPE_ALTER:        "ALTER",
	duckdbdrv.STATEMENT_TYPE_DROP:         "DROP",
	duckdbdrv.STATEMENT_TYPE_COPY:         "COPY",
	duckdbdrv.STATEMENT_TYPE_EXPORT:       "EXPORT",
	duckdbdrv.STATEMENT_TYPE_ATTACH:       "ATTACH",
	duckdbdrv.STATEMENT_TYPE_DETACH:       "DETACH",
	duckdbdrv.STATEMENT_TYPE_CREATE_FUNC:  "CREATE FUNCTION",
	duckdbdrv.STATEMENT_TYPE_LOAD:         "LOAD",
	duckdbdrv.STATEMENT_TYPE_VACUUM:       "VACUUM",
	duckdbdrv.STATEMENT_TYPE_TRANSACTION:  "a transaction statement",
	duckdbdrv.STATEMENT_TYPE_VARIABLE_SET: "SET",
	duckdbdrv.STATEMENT_TYPE_SET:          "SET",
}

func statementName(t duckdbdrv.StmtType) string {
	if n, ok := statementNames[t]; ok {
		return n
	}
	return fmt.Sprintf("statement type %d", t)
}
