package imagen

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/harness/vcr"
	"github.com/owulveryck/gomcptest/harness/vcr/vcrgoogle"
	"github.com/owulveryck/gomcptest/host/backend"
)

// -record records the cassettes, as GOMCPTEST_VCR=record.
func init() { vcr.RegisterFlags(flag.CommandLine) }

// cassettes is where the Vertex AI cassettes live.
const cassettes = "../../recordings/vertex"

// standinEnv, set to "fakegemini", records against the offline fakegemini
// instead of the real Vertex AI.
const standinEnv = "GOMCPTEST_VCR_STANDIN"

// TestCassettes replays the Vertex AI traffic of both tools: Imagen's
// :predict for imagen, an image model's generateContent for imagen_edit.
func TestCassettes(t *testing.T) {
	square := redSquare(t)
	cases := []struct {
		name, tool string
		register   func(*mcp.Server, *Options) error
		args       map[string]any
	}{
		{"imagen_generate", "imagen", Register, map[string]any{"prompt": "a watercolour lighthouse at dawn", "aspectRatio": "16:9"}},
		{"imagen_edit", "imagen_edit", RegisterEdit, map[string]any{"edit_instruction": "make the square blue", "base64_image": square, "mime_type": "image/png"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := cassetteClient(t, c.name)
			dir := t.TempDir()
			cs := connect(t, func(s *mcp.Server) error { return c.register(s, &Options{Client: client, Dir: dir}) })
			r := call(t, cs, c.tool, c.args)
			if r.isErr {
				t.Fatal(r.text)
			}
			checkSaved(t, r, dir)
			if len(r.images) != 1 {
				t.Errorf("%d images, want 1", len(r.images))
			}
		})
	}
}

// cassetteClient returns a genai client on the Vertex AI backend whose
// traffic is the cassette NAME.yaml: replayed by default, recorded against
// Vertex AI (GCP_PROJECT) or fakegemini (GOMCPTEST_VCR_STANDIN=fakegemini)
// in record mode.
func cassetteClient(t *testing.T, name string) *genai.Client {
	t.Helper()
	mode, err := vcr.ModeFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg := backend.Config{Project: "replay-project", Location: "us-central1"}
	opts := &vcr.Options{Mode: mode}
	if mode != vcr.Replay {
		env, _ := backend.FromEnv(os.Getenv)
		switch {
		case os.Getenv(standinEnv) == "fakegemini":
			fake := httptest.NewServer(fakegemini.New(fakegemini.Offline(), nil))
			t.Cleanup(fake.Close)
			cfg.BaseURL = fake.URL
			opts.Transport = fake.Client().Transport
			opts.Secrets = map[string]string{fake.URL: "http://fakegemini.invalid"}
			opts.Header = fmt.Sprintf(`SYNTHESIZED: recorded against fakegemini (its offline model, placeholder images)
standing in for Vertex AI; NOT an answer of the real service.
Recorded by %s in package tools/imagen.
Record it against the real Vertex AI: GOMCPTEST_VCR=record go test -run TestCassettes ./tools/imagen`, t.Name())
		case env.Project != "":
			tr, err := vcrgoogle.Transport(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			cfg.Project, cfg.Location = env.Project, env.Location
			opts.Transport = tr
			opts.Secrets = map[string]string{env.Project: vcr.Project, env.Location: vcr.Location}
			opts.Header = fmt.Sprintf("Recorded against Vertex AI on %s by %s in package tools/imagen.",
				time.Now().UTC().Format(time.DateOnly), t.Name())
		default:
			t.Fatalf("recording needs GCP_PROJECT with Application Default Credentials, or %s=fakegemini", standinEnv)
		}
	}
	cfg.HTTPClient = vcr.NewTest(t, filepath.Join(cassettes, name+".yaml"), opts).Client()
	client, err := backend.Client(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// redSquare is a PNG in base64, the same bytes on every run.
func redSquare(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{R: 220, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}
