package server

import (
	"errors"
	"testing"

	"github.com/owulveryck/gomcptest/host/llm/llmtest"
)

// FuzzDecodeChat feeds request bodies to the decoding and conversion of a
// chat request. Whatever the bytes, the answer is a request for the agent
// or a client error (4xx) with a message, never a panic or a 500.
func FuzzDecodeChat(f *testing.F) {
	for _, seed := range []string{
		`{"model":"test-model","messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"test-model|sleep","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}`,
		`{"model":"test-model","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"sleep","arguments":"{\"seconds\":1}"},"extra_content":{"google":{"thought_signature":"b3BhcXVl"}}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}`,
		`{"model":"test-model","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"test-model","temperature":0.2,"top_p":0.9,"max_tokens":10,"seed":1,"stop":["a","b"],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"test-model","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERg==","filename":"a.pdf"}}]}]}`,
		`{"model":"test-model","messages":[{"role":"assistant","function_call":{"name":"f","arguments":"{}"}},{"role":"function","name":"f","content":"r"}]}`,
		`{"model":"x","messages":[]}`, `{}`, `[]`, `null`, ``, `{"model":"test-model","messages":[{"role":"user","content":1}]}`,
	} {
		f.Add([]byte(seed))
	}
	s := New(llmtest.New(), &Options{BuiltinTools: []string{"google_search"}})
	f.Fuzz(func(t *testing.T, body []byte) {
		_, input, err := s.decode(body)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v (%T) is not an API error", err, err)
			}
			if ae.status < 400 || ae.status >= 500 || ae.message == "" {
				t.Fatalf("status %d, message %q: bad input must be a client error that says why", ae.status, ae.message)
			}
			return
		}
		if input.Request == nil || len(input.Request.Messages) == 0 {
			t.Fatalf("accepted a request with nothing to send the model: %s", body)
		}
		if input.Request.Options.Temperature != nil && *input.Request.Options.Temperature > 2 {
			t.Fatalf("accepted temperature %v", *input.Request.Options.Temperature)
		}
	})
}
