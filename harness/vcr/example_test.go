package vcr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v2/cassette"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

// ask posts a chat request with an API key to url through c and returns
// the answer, or the error.
func ask(c *http.Client, url, body string) string {
	req, err := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Authorization", "Bearer sk-example-secret-key-0123456789")
	resp, err := c.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// A model service, here a local test server, is recorded once into a
// cassette, then replayed with the service gone.
func Example_recordThenReplay() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices":[{"message":{"role":"assistant","content":"Hello!"}}]}`)
	}))
	dir, err := os.MkdirTemp("", "vcr-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "hello.yaml")

	// Record: requests reach the service; Close writes the cassette.
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record, Header: "Recorded against a local test server."})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recorded:", ask(rec.Client(), srv.URL, `{"model":"m","messages":[{"role":"user","content":"Hi"}]}`))
	if err := rec.Close(); err != nil {
		log.Fatal(err)
	}
	srv.Close()
	data, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("key in the cassette:", strings.Contains(string(data), "sk-example"))

	// Replay: the cassette answers the same request (JSON spacing does
	// not count), and nothing reaches the network.
	play, err := vcr.New(file, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("replayed:", ask(play.Client(), srv.URL, `{"model": "m", "messages": [{"role": "user", "content": "Hi"}]}`))
	fmt.Println("unused:", play.Unused())
	// Output:
	// recorded: {"choices":[{"message":{"role":"assistant","content":"Hello!"}}]}
	// key in the cassette: false
	// replayed: {"choices":[{"message":{"role":"assistant","content":"Hello!"}}]}
	// unused: []
}

// A custom matcher that leaves out a field that changes on every run, a
// random seed, and otherwise matches as DefaultMatcher does.
func ExampleDefaultMatcher() {
	dir, err := os.MkdirTemp("", "vcr-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "seeded.yaml")
	err = os.WriteFile(file, []byte(`# A hand-written cassette.
---
version: 1
interactions:
    - request:
        body: '{"prompt": "a haiku", "seed": 1234}'
        url: https://api.example.com/v1/completions
        method: POST
      response:
        body: '{"text": "old pond"}'
        code: 200
`), 0o644)
	if err != nil {
		log.Fatal(err)
	}
	withoutSeed := func(body string) string {
		var v map[string]any
		if json.Unmarshal([]byte(body), &v) != nil {
			return body
		}
		delete(v, "seed")
		b, _ := json.Marshal(v)
		return string(b)
	}
	ignoreSeed := func(sent, recorded cassette.Request) bool {
		sent.Body, recorded.Body = withoutSeed(sent.Body), withoutSeed(recorded.Body)
		return vcr.DefaultMatcher(sent, recorded)
	}
	send := func(opts *vcr.Options) {
		r, err := vcr.New(file, opts)
		if err != nil {
			log.Fatal(err)
		}
		resp, err := r.Client().Post("https://api.example.com/v1/completions", "application/json",
			strings.NewReader(`{"prompt":"a haiku","seed":987}`))
		if err != nil {
			fmt.Println("no match:", errors.Is(err, vcr.ErrNoInteraction))
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println("answer:", string(b))
	}
	send(nil)
	send(&vcr.Options{Matcher: ignoreSeed})
	// Output:
	// no match: true
	// answer: {"text": "old pond"}
}

// A before-save hook redacts what the built-in redaction does not know:
// here a user's e-mail address, in the request and the answer.
func ExampleOptions_beforeSave() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"echo":%s}`, b)
	}))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "vcr-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "mail.yaml")

	hideMail := func(i *cassette.Interaction) error {
		i.Request.Body = strings.ReplaceAll(i.Request.Body, "ada@example.com", "USER@example.com")
		i.Response.Body = strings.ReplaceAll(i.Response.Body, "ada@example.com", "USER@example.com")
		return nil
	}
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record, BeforeSave: hideMail})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ask(rec.Client(), srv.URL, `{"user":"ada@example.com"}`))
	if err := rec.Close(); err != nil {
		log.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("address in the cassette:", strings.Contains(string(data), "ada@"))
	// Output:
	// {"echo":{"user":"ada@example.com"}}
	// address in the cassette: false
}
