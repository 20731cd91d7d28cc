package duckdb

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	duckdbdrv "github.com/duckdb/duckdb-go/v2"
)

// Output is the tool's structured result: a typed table.
type Output struct {
	Columns   []Column `json:"columns" jsonschema:"the result's columns, in order"`
	Rows      [][]any  `json:"rows" jsonschema:"the rows, each a list of values in column order; null for NULL"`
	RowCount  int      `json:"row_count" jsonschema:"the number of rows returned"`
	Truncated bool     `json:"truncated,omitempty" jsonschema:"whether the result had more rows than max_rows"`
	Note      string   `json:"note,omitempty" jsonschema:"how to see the rest when the result was cut"`
}

// Column is a result column.
type Column struct {
	Name string `json:"name" jsonschema:"the column's name"`
	Type string `json:"type" jsonschema:"its DuckDB type, e.g. BIGINT, VARCHAR, DECIMAL(18,3), DATE"`
}

// maxCell is the widest a cell is shown in the text table.
const maxCell = 60

// Text renders the table for reading: a header with the types, aligned
// cells, and the row count.
func (o *Output) Text() string {
	if len(o.Columns) == 0 {
		return "OK\n"
	}
	cells := make([][]string, 0, len(o.Rows)+2)
	head := make([]string, len(o.Columns))
	types := make([]string, len(o.Columns))
	for i, c := range o.Columns {
		head[i], types[i] = c.Name, c.Type
	}
	cells = append(cells, head, types)
	for _, r := range o.Rows {
		row := make([]string, len(r))
		for i, v := range r {
			row[i] = cell(v)
		}
		cells = append(cells, row)
	}
	width := make([]int, len(o.Columns))
	for _, row := range cells {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		for i, c := range row {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
			}
		}
		b.WriteString("\n")
	}
	line(cells[0])
	line(cells[1])
	for i, w := range width {
		if i > 0 {
			b.WriteString("-+-")
		}
		b.WriteString(strings.Repeat("-", w))
	}
	b.WriteString("\n")
	for _, row := range cells[2:] {
		line(row)
	}
	if o.RowCount == 1 {
		b.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(&b, "(%d rows)\n", o.RowCount)
	}
	if o.Note != "" {
		b.WriteString("[" + o.Note + "]\n")
	}
	return b.String()
}

// cell shows one value on one line, cut to maxCell characters.
func cell(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		s = v
	default:
		b, _ := json.Marshal(v)
		s = string(b)
	}
	s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
	if utf8.RuneCountInString(s) > maxCell {
		s = string([]rune(s)[:maxCell-1]) + "…"
	}
	return s
}

// jsonValue converts a value from the driver into one that encodes as
// JSON faithfully: exact decimals and big integers stay numbers, dates and
// times become ISO 8601 text as DuckDB prints them, maps become lists of
// key/value pairs (their keys need not be strings).
func jsonValue(v any, typ string) any {
	switch v := v.(type) {
	case nil, bool, string, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return v
	case float32:
		return jsonValue(float64(v), typ)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'g', -1, 64) // JSON has no NaN or Inf
		}
		return v
	case *big.Int:
		return json.Number(v.String())
	case duckdbdrv.Decimal:
		return json.Number(decimal(v))
	case time.Time:
		switch {
		case typ == "DATE":
			return v.Format(time.DateOnly)
		case strings.HasPrefix(typ, "TIME") && !strings.HasPrefix(typ, "TIMESTAMP"):
			return v.Format("15:04:05.999999")
		case strings.Contains(typ, "TIME ZONE"), strings.HasSuffix(typ, "TZ"):
			return v.Format(time.RFC3339Nano)
		}
		return v.Format("2006-01-02T15:04:05.999999999")
	case duckdbdrv.UUID:
		return v.String()
	case *duckdbdrv.UUID:
		return v.String()
	case []byte:
		if typ == "UUID" && len(v) == 16 {
			u := duckdbdrv.UUID(v)
			return u.String()
		}
		return v // encoding/json writes base64
	case duckdbdrv.Interval:
		return v
	case duckdbdrv.Map:
		pairs := make([]map[string]any, 0, len(v))
		for k, val := range v {
			pairs = append(pairs, map[string]any{"key": jsonValue(k, ""), "value": jsonValue(val, "")})
		}
		return pairs
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonValue(e, "")
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e, "")
		}
		return out
	case duckdbdrv.Union:
		return map[string]any{"tag": v.Tag, "value": jsonValue(v.Value, "")}
	}
	return fmt.Sprint(v)
}

// decimal writes d with all its scale's digits, as DuckDB prints it
// (14.40, not 14.4).
func decimal(d duckdbdrv.Decimal) string {
	digits := new(big.Int).Abs(d.Value).String()
	scale := int(d.Scale)
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	s := digits
	if scale > 0 {
		s = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if d.Value.Sign() < 0 {
		s = "-" + s
	}
	return s
}
