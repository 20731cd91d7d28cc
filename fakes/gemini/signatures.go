package fakegemini

import (
	"encoding/json"
	"sync"
)

// ledger remembers the thought signatures the server issued on function
// calls, so that a later request echoing the call can be checked whatever
// the order of requests. A call is recorded under its id (when it has one)
// and under its name and arguments, so a client that drops the id is still
// checked. The oldest keys are forgotten past limit, which only makes the
// check more lenient, never wrong.
type ledger struct {
	mu    sync.Mutex
	limit int
	sigs  map[string][]string
	order []string
}

func newLedger(limit int) *ledger {
	return &ledger{limit: limit, sigs: make(map[string][]string)}
}

// issue records that the server sent call with signature sig.
func (l *ledger) issue(call *FunctionCall, sig string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range callKeys(call) {
		if _, ok := l.sigs[k]; !ok {
			l.order = append(l.order, k)
		}
		l.sigs[k] = append(l.sigs[k], sig)
	}
	for len(l.order) > l.limit {
		delete(l.sigs, l.order[0])
		l.order = l.order[1:]
	}
}

// expected returns the signatures issued for call, or nil if the server
// never signed such a call.
func (l *ledger) expected(call *FunctionCall) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := callKeys(call)
	if call.ID != "" {
		return l.sigs[keys[0]]
	}
	return l.sigs[keys[len(keys)-1]]
}

// callKeys returns the keys of call: "id:ID" when it has an id, then
// "call:NAME ARGS" with the arguments in canonical JSON (sorted keys;
// no arguments and empty arguments are the same).
func callKeys(call *FunctionCall) []string {
	args := []byte("{}")
	if len(call.Args) > 0 {
		args, _ = json.Marshal(call.Args)
	}
	byArgs := "call:" + call.Name + " " + string(args)
	if call.ID == "" {
		return []string{byArgs}
	}
	return []string{"id:" + call.ID, byArgs}
}
