package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// taskSupport returns a tool's execution.taskSupport, "" when absent.
func (t *tool) taskSupport() (string, error) {
	raw, ok := member(t.raw, "execution", "taskSupport")
	if !ok {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !slices.Contains([]string{"forbidden", "optional", "required"}, s) {
		return "", fmt.Errorf("execution.taskSupport is %s, not forbidden, optional or required", raw)
	}
	return s, nil
}

// taskError says why a Task is malformed: the schema's Task has a string
// taskId, a status among five, ISO 8601 createdAt and lastUpdatedAt
// ("Receivers MUST include a createdAt [...] timestamp in all task
// responses"), and a ttl, a number or null ("Receivers MUST include the
// actual ttl duration (or null for unlimited)").
func taskError(raw json.RawMessage) (id string, err error) {
	var t map[string]json.RawMessage
	if err := json.Unmarshal(raw, &t); err != nil || t == nil {
		return "", fmt.Errorf("a task is not an object")
	}
	str := func(k string) (string, bool) {
		var s string
		return s, json.Unmarshal(t[k], &s) == nil
	}
	id, ok := str("taskId")
	if !ok || id == "" {
		return "", fmt.Errorf("a task needs a string taskId")
	}
	if st, _ := str("status"); !slices.Contains([]string{"working", "input_required", "completed", "failed", "cancelled"}, st) {
		return id, fmt.Errorf("task %s: status %s is not one of the five", id, t["status"])
	}
	for _, k := range []string{"createdAt", "lastUpdatedAt"} {
		s, _ := str(k)
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return id, fmt.Errorf("task %s: %s %s is not an ISO 8601 time", id, k, t[k])
		}
	}
	var ttl *float64
	if raw, ok := t["ttl"]; !ok || json.Unmarshal(raw, &ttl) != nil {
		return id, fmt.Errorf("task %s: ttl must be a number or null", id)
	}
	return id, nil
}

// taskResult decodes the Task of a tasks/get or tasks/cancel answer, or
// of the task member of a CreateTaskResult.
func (p *probe) taskResult(what string, m *message, err error, inside bool) (id, status string, ok bool) {
	if err != nil {
		p.fail(err, "%s: %v", what, err)
		return "", "", false
	}
	if m.Error != nil {
		p.fail(m, "%s got an error", what)
		return "", "", false
	}
	raw := m.Result
	if inside {
		if raw, ok = member(m.Result, "task"); !ok {
			p.fail(m, "%s: a CreateTaskResult needs a task", what)
			return "", "", false
		}
	}
	if id, err = taskError(raw); err != nil {
		p.fail(m, "%s: %v", what, err)
		return "", "", false
	}
	st, _ := member(raw, "status")
	json.Unmarshal(st, &status)
	return id, status, true
}

// checkTasks judges the tasks of 2025-11-25. Every tool's
// execution.taskSupport is one of the three values. Where the server
// declares the tasks capability: tasks/list lists well-formed tasks, and
// an unknown taskId gets -32602 ("Receivers MUST return standard
// JSON-RPC errors for [...] Invalid or nonexistent taskId in tasks/get,
// tasks/result, or tasks/cancel: -32602"). Where tools/call may be a
// task and a tool that supports it may be called: a task-augmented call
// gets a CreateTaskResult ("Receivers that accept a task-augmented
// request MUST return a CreateTaskResult"), tasks/get finds the task,
// tasks/result returns the call's result, tasks/list lists it ("If a task
// is retrievable via tasks/get for a requestor, it MUST be retrievable
// via tasks/list"), and tasks/cancel of the finished task gets -32602
// ("Receivers MUST reject cancellation requests for tasks already in a
// terminal status"). A tool that requires tasks, called without one,
// gets -32601 ("Servers MUST return a -32601 (Method not found) error if
// a client does not attempt to do so").
func checkTasks(ctx context.Context, p *probe) {
	support := map[string]string{}
	for _, t := range p.listTools(ctx, func(any, string, ...any) {}) {
		s, err := t.taskSupport()
		if err != nil {
			p.fail(string(t.raw), "%s: %v", t.Name, err)
		}
		support[t.Name] = s
	}
	if !p.init.has("tasks") {
		p.skip("the server does not advertise tasks")
		return
	}
	caps := p.init.Capabilities["tasks"]
	has := func(path ...string) bool { _, ok := member(caps, path...); return ok }
	if has("list") {
		for _, raw := range listAll(ctx, p.main, "tasks/list", "tasks", p.fail) {
			if _, err := taskError(raw); err != nil {
				p.fail(string(raw), "tasks/list: %v", err)
			}
		}
	}
	unknown := map[string]any{"taskId": "conform-no-such-task"}
	methods := []string{"tasks/get", "tasks/result"}
	if has("cancel") {
		methods = append(methods, "tasks/cancel")
	}
	for _, method := range methods {
		m, err := p.main.call(ctx, method, unknown)
		p.expectError(m, err, codeInvalidParams, method+" of an unknown task")
	}
	if !has("requests", "tools", "call") {
		return
	}
	tried := false
	for _, t := range p.listTools(ctx, func(any, string, ...any) {}) {
		if s := support[t.Name]; (s == "optional" || s == "required") && p.allowed(t.Name) {
			tried = true
			p.runTask(ctx, t, has("list"), has("cancel"), s == "required")
		}
	}
	if !tried && p.res.Status == Pass {
		p.res.Reason = "no tool that runs as a task may be called (see --call-tools)"
	}
}

// runTask calls a tool as a task and follows the task to its end.
func (p *probe) runTask(ctx context.Context, t *tool, list, cancel, required bool) {
	args, err := validArgs(t.InputSchema, false)
	if err != nil {
		return
	}
	if required {
		m, _, err := callTool(ctx, p.main, t.Name, args, nil)
		p.expectError(m, err, codeMethodNotFound, t.Name+", which requires a task, called without one")
	}
	m, err := p.main.call(ctx, "tools/call", map[string]any{"name": t.Name, "arguments": args, "task": map[string]any{"ttl": 60000}})
	id, _, ok := p.taskResult(t.Name+" called as a task", m, err, true)
	if !ok {
		return
	}
	m, err = p.main.call(ctx, "tasks/get", map[string]any{"taskId": id})
	if got, _, ok := p.taskResult("tasks/get "+id, m, err, false); ok && got != id {
		p.fail(m, "tasks/get %s answered the task %s", id, got)
	}
	m, err = p.main.call(ctx, "tasks/result", map[string]any{"taskId": id})
	switch {
	case err != nil:
		p.fail(err, "tasks/result %s: %v", id, err)
	case m.Error == nil:
		if _, ok := member(m.Result, "content"); !ok {
			p.fail(m, "tasks/result %s: the result of a tools/call task needs content", id)
		}
	}
	if list {
		found := false
		for _, raw := range listAll(ctx, p.main, "tasks/list", "tasks", p.fail) {
			got, _ := taskError(raw)
			found = found || got == id
		}
		if !found {
			p.fail(nil, "tasks/list does not list the task %s, which tasks/get finds", id)
		}
	}
	if cancel {
		m, err = p.main.call(ctx, "tasks/cancel", map[string]any{"taskId": id})
		p.expectError(m, err, codeInvalidParams, "tasks/cancel of the finished task "+id)
	}
}
