package conform

import (
	"testing"
	"time"

	"github.com/owulveryck/gomcptest/fakes/mcpservers"
)

// TestTasksRun follows a task of the correct server from its creation to
// its end: the check passes having run one, not for want of a tool.
func TestTasksRun(t *testing.T) {
	d, _ := mcpservers.Lookup(mcpservers.Correct)
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{CallTools: true, Only: []string{"tasks"}, Timeout: time.Second, Samples: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Result("tasks"); res.Status != Pass || res.Reason != "" {
		t.Errorf("tasks: %s (%s), want pass having run a task\n%s", res.Status, res.Reason, summary(rep))
	}
}
