package imagen

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// fake serves the fake Gemini service and returns genai clients for
// Vertex AI and the Gemini API on it, and the Imagen requests it saw.
func fake(t *testing.T) (vertex, gemini *genai.Client, predicts *[]*fakegemini.PredictRequest) {
	t.Helper()
	var seen []*fakegemini.PredictRequest
	srv := httptest.NewServer(fakegemini.New(fakegemini.Offline(), &fakegemini.Options{
		OnPredict: func(r *fakegemini.PredictRequest) { seen = append(seen, r) },
	}))
	t.Cleanup(srv.Close)
	mk := func(cfg *genai.ClientConfig) *genai.Client {
		cfg.HTTPClient, cfg.HTTPOptions = srv.Client(), genai.HTTPOptions{BaseURL: srv.URL}
		c, err := genai.NewClient(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return mk(&genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "p", Location: "us-central1"}),
		mk(&genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k"}), &seen
}

func connect(t *testing.T, register func(*mcp.Server) error) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "imagen", Version: "v0"}, nil)
	if err := register(s); err != nil {
		t.Fatal(err)
	}
	return tooltest.Connect(t, s, nil)
}

type result struct {
	images [][]byte
	text   string
	out    map[string]any
	isErr  bool
}

func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) result {
	t.Helper()
	res := tooltest.Call(t, cs, name, args)
	var r result
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.ImageContent:
			if c.MIMEType != "image/png" {
				t.Errorf("image content of type %s", c.MIMEType)
			}
			r.images = append(r.images, c.Data)
		case *mcp.TextContent:
			r.text += c.Text
		}
	}
	r.out, _ = res.StructuredContent.(map[string]any)
	r.isErr = res.IsError
	return r
}

// checkSaved checks that each returned image was saved as listed.
func checkSaved(t *testing.T, r result, dir string) {
	t.Helper()
	list, _ := r.out["images"].([]any)
	if len(list) != len(r.images) || len(list) == 0 {
		t.Fatalf("%d images returned, %d listed", len(r.images), len(list))
	}
	for i, e := range list {
		path := e.(map[string]any)["path"].(string)
		if filepath.Dir(path) != dir || !strings.Contains(r.text, "saved "+path) {
			t.Errorf("image %d saved at %s, not in %s or not in the text %q", i, path, dir, r.text)
		}
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(data, r.images[i]) {
			t.Errorf("file %s does not hold the returned image: %v", path, err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestGenerateVertex(t *testing.T) {
	vertex, _, predicts := fake(t)
	dir := t.TempDir()
	cs := connect(t, func(s *mcp.Server) error {
		return Register(s, &Options{Client: vertex, Dir: dir, BaseURL: "http://img.example/x/",
			Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }})
	})
	r := call(t, cs, "imagen", map[string]any{"prompt": "a lighthouse", "aspectRatio": "16:9", "number_of_images": 2})
	if r.isErr {
		t.Fatal(r.text)
	}
	checkSaved(t, r, dir)
	if r.out["model"] != DefaultImagenModel || !strings.Contains(r.text, " at http://img.example/x/imagen-20260102-030405-") {
		t.Errorf("model %v, text %q", r.out["model"], r.text)
	}
	if len(*predicts) != 1 {
		t.Fatalf("%d Imagen calls, want 1", len(*predicts))
	}
	p := (*predicts)[0].Parameters
	if *p.SampleCount != 2 || p.AspectRatio != "16:9" || p.SafetySetting != "BLOCK_MEDIUM_AND_ABOVE" || p.PersonGeneration != "DONT_ALLOW" {
		t.Errorf("Imagen parameters %+v; want the defaults block_some and dont_allow mapped", p)
	}
}

func TestGenerateGeminiAPI(t *testing.T) {
	_, gemini, predicts := fake(t)
	dir := t.TempDir()
	cs := connect(t, func(s *mcp.Server) error { return Register(s, &Options{Client: gemini, Dir: dir}) })
	r := call(t, cs, "imagen", map[string]any{"prompt": "a lighthouse", "number_of_images": 2})
	if r.isErr {
		t.Fatal(r.text)
	}
	checkSaved(t, r, dir)
	if len(r.images) != 2 || r.out["model"] != DefaultImageModel || len(*predicts) != 0 {
		t.Errorf("%d images from %v, %d Imagen calls", len(r.images), r.out["model"], len(*predicts))
	}
}

func TestGenerateRejects(t *testing.T) {
	vertex, _, predicts := fake(t)
	cs := connect(t, func(s *mcp.Server) error { return Register(s, &Options{Client: vertex, Dir: t.TempDir()}) })
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"prompt": " "}, "prompt is empty"},
		{map[string]any{"prompt": "x", "aspectRatio": "2:1"}, "aspectRatio \"2:1\" is not supported; use one of 1:1, 3:4"},
		{map[string]any{"prompt": "x", "safetyFilterLevel": "none"}, "safetyFilterLevel"},
		{map[string]any{"prompt": "x", "personGeneration": "everyone"}, "personGeneration"},
		{map[string]any{"prompt": "x", "number_of_images": 5}, "between 1 and 4"},
	} {
		if r := call(t, cs, "imagen", tt.args); !r.isErr || !strings.Contains(r.text, tt.want) {
			t.Errorf("%v: isError %v, %q; want %q", tt.args, r.isErr, r.text, tt.want)
		}
	}
	if len(*predicts) != 0 {
		t.Errorf("invalid calls reached Imagen %d times", len(*predicts))
	}
}

func TestEdit(t *testing.T) {
	vertex, gemini, _ := fake(t)
	input := fakegemini.Placeholder("input", "")
	src := filepath.Join(t.TempDir(), "in.png")
	if err := os.WriteFile(src, input, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, client := range map[string]*genai.Client{"vertex": vertex, "gemini": gemini} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cs := connect(t, func(s *mcp.Server) error { return RegisterEdit(s, &Options{Client: client, Dir: dir}) })
			for _, args := range []map[string]any{
				{"edit_instruction": "make it blue", "image_path": src, "temperature": 0.5},
				{"edit_instruction": "make it blue", "base64_image": base64.StdEncoding.EncodeToString(input), "mime_type": "image/png", "top_p": 0.5},
			} {
				r := call(t, cs, "imagen_edit", args)
				if r.isErr {
					t.Fatal(r.text)
				}
				checkSaved(t, r, dir)
				if bytes.Equal(r.images[0], input) || !strings.Contains(r.text, "make it blue") {
					t.Errorf("edit returned the input, or the text %q lacks the model's words", r.text)
				}
			}
		})
	}
	cs := connect(t, func(s *mcp.Server) error { return RegisterEdit(s, &Options{Client: gemini, Dir: t.TempDir()}) })
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"edit_instruction": "x"}, "no image"},
		{map[string]any{"edit_instruction": "x", "image_path": src, "base64_image": "AAAA"}, "not both"},
		{map[string]any{"edit_instruction": "x", "base64_image": "%%%"}, "not valid base64"},
		{map[string]any{"edit_instruction": "x", "base64_image": base64.StdEncoding.EncodeToString([]byte("hello")), "mime_type": "image/png"}, "not a PNG"},
		{map[string]any{"edit_instruction": "x", "base64_image": base64.StdEncoding.EncodeToString(input), "mime_type": "image/jpeg"}, "mime_type says image/jpeg but the data is image/png"},
		{map[string]any{"edit_instruction": "x", "image_path": src, "temperature": 3}, "temperature must be between 0 and 2"},
		{map[string]any{"edit_instruction": "x", "image_path": src, "top_p": 1.5}, "top_p must be between 0 and 1"},
		{map[string]any{"edit_instruction": "", "image_path": src}, "edit_instruction is empty"},
	} {
		if r := call(t, cs, "imagen_edit", tt.args); !r.isErr || !strings.Contains(r.text, tt.want) {
			t.Errorf("%v: isError %v, %q; want %q", tt.args, r.isErr, r.text, tt.want)
		}
	}
}
