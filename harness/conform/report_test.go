package conform

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/owulveryck/gomcptest/fakes/mcpservers"
)

var update = flag.Bool("update", false, "rewrite testdata/report/*.txtar from the runs they describe")

// stable zeroes what changes from run to run: the target's path, the
// durations and the timing.
func stable(rep *Report, name string) {
	rep.Target = "zoo " + name
	rep.Duration = 0
	rep.Timing = Timing{}
	for i := range rep.Results {
		rep.Results[i].Duration = 0
	}
}

// TestReportJSON runs the checker on zoo servers and compares the JSON
// reports, made stable, with testdata/report/NAME.txtar. Run with
// -update to rewrite them, then review the diff: a change of the schema
// needs a new SchemaVersion and a new REPORT.md.
func TestReportJSON(t *testing.T) {
	for _, name := range []string{"bad-input-schema", "crashes"} {
		t.Run(name, func(t *testing.T) {
			d, err := mcpservers.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Check(t.Context(), zooTarget(t, d), &Options{Timeout: time.Minute, Samples: 1})
			if rep == nil {
				t.Fatal(err)
			}
			stable(rep, name)
			got, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			file := filepath.Join("testdata", "report", name+".txtar")
			if *update {
				a := &txtar.Archive{
					Comment: []byte("# The JSON report of Check on the zoo server " + name + " over stdio, with\n" +
						"# the target, the durations and the timing zeroed (see stable in\n" +
						"# report_test.go). Rewrite with go test -run TestReportJSON -update.\n"),
					Files: []txtar.File{{Name: "report.json", Data: got}},
				}
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Files) != 1 || a.Files[0].Name != "report.json" {
				t.Fatalf("%s: want one section, report.json", file)
			}
			if diff := cmp.Diff(string(a.Files[0].Data), string(got)); diff != "" {
				t.Errorf("the report differs from %s (-want +got):\n%s", file, diff)
			}

			// It decodes back to the same report.
			var back Report
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rep, &back, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decoding the report changes it (-encoded +decoded):\n%s", diff)
			}
		})
	}
}

// The schema's promises hold on any report: every member present, no
// null array, durations in milliseconds.
func TestReportJSONShape(t *testing.T) {
	rep := &Report{
		Target:   "x",
		Results:  []Result{{ID: "a", Status: Pass, Duration: 1500 * time.Microsecond}, {ID: "b", Status: Fail, Findings: []Finding{{Message: "m"}}}},
		Duration: 2 * time.Second,
		Timing:   Timing{Startup: 250 * time.Microsecond},
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m["schemaVersion"] != float64(SchemaVersion) || m["durationMs"] != float64(2000) || m["complete"] != true {
		t.Errorf("schemaVersion %v, durationMs %v, complete %v: want %d, 2000, true", m["schemaVersion"], m["durationMs"], m["complete"], SchemaVersion)
	}
	if got := m["timing"].(map[string]any)["startupMs"]; got != 0.25 {
		t.Errorf("startupMs = %v, want 0.25", got)
	}
	for _, key := range []string{"revisions", "results"} {
		if _, ok := m[key].([]any); !ok {
			t.Errorf("%s = %v, want an array", key, m[key])
		}
	}
	for _, r := range m["results"].([]any) {
		res := r.(map[string]any)
		if _, ok := res["findings"].([]any); !ok {
			t.Errorf("result %v: findings %v, want an array", res["id"], res["findings"])
		}
		for _, f := range res["findings"].([]any) {
			if _, ok := f.(map[string]any)["revisions"].([]any); !ok {
				t.Errorf("result %v: a finding without its revisions array", res["id"])
			}
		}
	}
	if got := m["results"].([]any)[0].(map[string]any)["durationMs"]; got != 1.5 {
		t.Errorf("durationMs = %v, want 1.5", got)
	}
	if err := json.Unmarshal([]byte(strings.Replace(string(data), `"schemaVersion":1`, `"schemaVersion":2`, 1)), &Report{}); err == nil {
		t.Error("a report of schemaVersion 2 decodes, want an error")
	}
}
