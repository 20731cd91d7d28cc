package mcpservers

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The go-sdk has no tasks (2025-11-25, basic/utilities/tasks), so the
// correct server gets them from a layer on its connection: it declares
// the tasks capability and slow's execution.taskSupport, answers a
// task-augmented tools/call with a CreateTaskResult at once, runs the
// call under an id of its own, and serves tasks/get, tasks/result,
// tasks/list and tasks/cancel itself.

// taskRevision is the one revision with tasks.
const taskRevision = "2025-11-25"

// taskTool is the tool that may run as a task.
const taskTool = "slow"

// A task is one task-augmented call.
type task struct {
	id      string
	status  string // working, completed, failed or cancelled
	created time.Time
	updated time.Time
	ttl     int64
	inner   jsonrpc.ID      // the id the server sees
	result  json.RawMessage // the call's result, once done
	rpcErr  *jsonrpc.Error  // or its error
	done    chan struct{}   // closed at a terminal status
}

func (t *task) terminal() bool { return t.status != "working" }

// wire is the Task of the schema.
func (t *task) wire() map[string]any {
	return map[string]any{
		"taskId":        t.id,
		"status":        t.status,
		"createdAt":     t.created.UTC().Format(time.RFC3339Nano),
		"lastUpdatedAt": t.updated.UTC().Format(time.RFC3339Nano),
		"ttl":           t.ttl,
		"pollInterval":  100,
	}
}

// taskLayer is the connection that adds tasks. lax answers tasks/get of
// an unknown task with a made-up task instead of an error: the bad-tasks
// defect.
type taskLayer struct {
	mcp.Connection
	lax bool

	once     sync.Once
	in       chan readResult
	injected chan jsonrpc.Message
	closed   chan struct{}
	stop     sync.Once

	mu      sync.Mutex
	version string
	tasks   map[string]*task
	byInner map[string]*task
	order   []*task
	n       int
	inits   map[string]bool // ids of initialize requests
	lists   map[string]bool // ids of tools/list requests
}

type readResult struct {
	m   jsonrpc.Message
	err error
}

// withTasks adds the defect's tasks to a connection.
func (d Defect) withTasks(c mcp.Connection) mcp.Connection { return newTaskLayer(c, d.laxTasks) }

func newTaskLayer(c mcp.Connection, lax bool) *taskLayer {
	return &taskLayer{Connection: c, lax: lax, in: make(chan readResult), injected: make(chan jsonrpc.Message, 8), closed: make(chan struct{}),
		tasks: map[string]*task{}, byInner: map[string]*task{}, inits: map[string]bool{}, lists: map[string]bool{}}
}

func key(id jsonrpc.ID) string { return fmt.Sprint(id.Raw()) }

// Read hands the server the client's messages, less those the layer
// answers itself, and the cancellations of tasks.
func (l *taskLayer) Read(ctx context.Context) (jsonrpc.Message, error) {
	l.once.Do(func() {
		go func() {
			for {
				m, err := l.Connection.Read(context.Background())
				select {
				case l.in <- readResult{m, err}:
				case <-l.closed:
					return
				}
				if err != nil {
					return
				}
			}
		}()
	})
	for {
		select {
		case m := <-l.injected:
			return m, nil
		case r := <-l.in:
			if r.err != nil {
				return nil, r.err
			}
			if m := l.take(ctx, r.m); m != nil {
				return m, nil
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// take handles one message of the client: it returns what the server
// should read, or nil when the layer answered.
func (l *taskLayer) take(ctx context.Context, m jsonrpc.Message) jsonrpc.Message {
	r, ok := m.(*jsonrpc.Request)
	if !ok || !r.ID.IsValid() {
		return m
	}
	l.mu.Lock()
	on := l.version == taskRevision
	switch r.Method {
	case "initialize":
		l.inits[key(r.ID)] = true
		l.version, _ = members(r.Params)["protocolVersion"].(string)
	case "tools/list":
		l.lists[key(r.ID)] = true
	}
	l.mu.Unlock()
	if !on {
		return m
	}
	var p struct {
		Name   string          `json:"name"`
		TaskID string          `json:"taskId"`
		Task   json.RawMessage `json:"task"`
	}
	json.Unmarshal(r.Params, &p)
	switch r.Method {
	case "tools/call":
		if len(p.Task) == 0 || string(p.Task) == "null" {
			return m
		}
		if p.Name != taskTool {
			l.reply(ctx, r.ID, nil, &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: p.Name + " does not run as a task"})
			return nil
		}
		return l.start(ctx, r, p.Task)
	case "tasks/get", "tasks/result", "tasks/cancel":
		l.serve(ctx, r, p.TaskID)
		return nil
	case "tasks/list":
		l.mu.Lock()
		list := []any{}
		for _, t := range l.order {
			list = append(list, t.wire())
		}
		l.mu.Unlock()
		l.reply(ctx, r.ID, map[string]any{"tasks": list}, nil)
		return nil
	}
	return m
}

// start creates the task, answers with it, and hands the server the call
// without its task, under an id of the layer's.
func (l *taskLayer) start(ctx context.Context, r *jsonrpc.Request, meta json.RawMessage) jsonrpc.Message {
	var tm struct {
		TTL *int64 `json:"ttl"`
	}
	json.Unmarshal(meta, &tm)
	now := time.Now()
	l.mu.Lock()
	l.n++
	inner, _ := jsonrpc.MakeID(fmt.Sprintf("zoo-task-call-%d", l.n))
	t := &task{id: fmt.Sprintf("zoo-task-%d", l.n), status: "working", created: now, updated: now, ttl: 60000, inner: inner, done: make(chan struct{})}
	if tm.TTL != nil && *tm.TTL > 0 {
		t.ttl = *tm.TTL
	}
	l.tasks[t.id], l.byInner[key(inner)] = t, t
	l.order = append(l.order, t)
	created := map[string]any{"task": t.wire()}
	l.mu.Unlock()
	l.reply(ctx, r.ID, created, nil)
	params := members(r.Params)
	delete(params, "task")
	return &jsonrpc.Request{ID: inner, Method: r.Method, Params: encode(params)}
}

// serve answers tasks/get, tasks/result and tasks/cancel.
func (l *taskLayer) serve(ctx context.Context, r *jsonrpc.Request, id string) {
	l.mu.Lock()
	t := l.tasks[id]
	l.mu.Unlock()
	unknown := &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("no task %q", id)}
	if t == nil {
		if l.lax && r.Method == "tasks/get" {
			l.reply(ctx, r.ID, map[string]any{"taskId": id, "status": "working"}, nil)
			return
		}
		l.reply(ctx, r.ID, nil, unknown)
		return
	}
	switch r.Method {
	case "tasks/get":
		l.mu.Lock()
		w := t.wire()
		l.mu.Unlock()
		l.reply(ctx, r.ID, w, nil)
	case "tasks/result":
		go func() {
			select {
			case <-t.done:
			case <-l.closed:
				return
			}
			ctx := context.Background()
			l.mu.Lock()
			res, rerr := t.result, t.rpcErr
			l.mu.Unlock()
			if rerr != nil {
				l.reply(ctx, r.ID, nil, rerr)
				return
			}
			out := members(res)
			meta, _ := out["_meta"].(map[string]any)
			if meta == nil {
				meta = map[string]any{}
			}
			meta["io.modelcontextprotocol/related-task"] = map[string]any{"taskId": t.id}
			out["_meta"] = meta
			l.reply(ctx, r.ID, out, nil)
		}()
	case "tasks/cancel":
		l.mu.Lock()
		if t.terminal() {
			l.mu.Unlock()
			l.reply(ctx, r.ID, nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("task %q is already %s", id, t.status)})
			return
		}
		t.status, t.updated = "cancelled", time.Now()
		t.rpcErr = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "the task was cancelled"}
		close(t.done)
		w := t.wire()
		l.mu.Unlock()
		l.injected <- &jsonrpc.Request{Method: "notifications/cancelled", Params: encode(map[string]any{"requestId": t.inner.Raw(), "reason": "tasks/cancel"})}
		l.reply(ctx, r.ID, w, nil)
	}
}

// reply writes an answer of the layer's own.
func (l *taskLayer) reply(ctx context.Context, id jsonrpc.ID, result any, rerr *jsonrpc.Error) {
	resp := &jsonrpc.Response{ID: id}
	if rerr != nil {
		resp.Error = rerr
	} else {
		resp.Result = encode(result)
	}
	l.Connection.Write(ctx, resp)
}

// Write keeps the answers to the calls of tasks, and declares the tasks
// capability and slow's task support.
func (l *taskLayer) Write(ctx context.Context, m jsonrpc.Message) error {
	r, ok := m.(*jsonrpc.Response)
	if !ok {
		return l.Connection.Write(ctx, m)
	}
	k := key(r.ID)
	l.mu.Lock()
	t := l.byInner[k]
	init, list := l.inits[k], l.lists[k]
	delete(l.inits, k)
	delete(l.lists, k)
	on := l.version == taskRevision
	if t != nil && !t.terminal() {
		t.updated = time.Now()
		if r.Error != nil {
			t.status = "failed"
			t.rpcErr = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: r.Error.Error()}
		} else {
			t.status, t.result = "completed", r.Result
			var res struct {
				IsError bool `json:"isError"`
			}
			if json.Unmarshal(r.Result, &res) == nil && res.IsError {
				t.status = "failed"
			}
		}
		close(t.done)
	}
	l.mu.Unlock()
	switch {
	case t != nil:
		return nil // the client asks tasks/result for it
	case on && init && r.Error == nil:
		res := members(r.Result)
		if res["protocolVersion"] == taskRevision {
			caps, _ := res["capabilities"].(map[string]any)
			caps["tasks"] = map[string]any{"list": map[string]any{}, "cancel": map[string]any{}, "requests": map[string]any{"tools": map[string]any{"call": map[string]any{}}}}
			r.Result = encode(res)
		}
	case on && list && r.Error == nil:
		res := members(r.Result)
		tools, _ := res["tools"].([]any)
		for _, tl := range tools {
			if tl, ok := tl.(map[string]any); ok && tl["name"] == taskTool {
				tl["execution"] = map[string]any{"taskSupport": "optional"}
			}
		}
		r.Result = encode(res)
	}
	return l.Connection.Write(ctx, m)
}

// Close ends the layer's goroutines with the connection.
func (l *taskLayer) Close() error {
	l.stop.Do(func() { close(l.closed) })
	return l.Connection.Close()
}
