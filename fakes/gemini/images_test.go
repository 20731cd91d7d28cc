package fakegemini_test

import (
	"bytes"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"google.golang.org/genai"
)

func TestGenerateImages(t *testing.T) {
	var seen []*fakegemini.PredictRequest
	srv := httptest.NewServer(fakegemini.New(fakegemini.Offline(), &fakegemini.Options{
		OnPredict: func(r *fakegemini.PredictRequest) { seen = append(seen, r) },
	}))
	defer srv.Close()
	c := newClient(t, backends[0].config(srv.URL, srv.Client()))
	res, err := c.Models.GenerateImages(t.Context(), "imagen-4.0-generate-001", "a red bicycle", &genai.GenerateImagesConfig{
		NumberOfImages: 2, AspectRatio: "16:9", SafetyFilterLevel: genai.SafetyFilterLevelBlockMediumAndAbove, PersonGeneration: genai.PersonGenerationDontAllow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.GeneratedImages) != 2 {
		t.Fatalf("got %d images, want 2", len(res.GeneratedImages))
	}
	for _, g := range res.GeneratedImages {
		if g.Image.MIMEType != "image/png" {
			t.Errorf("mime type %q", g.Image.MIMEType)
		}
		img, err := png.Decode(bytes.NewReader(g.Image.ImageBytes))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() <= b.Dy() {
			t.Errorf("16:9 image is %dx%d", b.Dx(), b.Dy())
		}
	}
	if !bytes.Equal(res.GeneratedImages[0].Image.ImageBytes, fakegemini.Placeholder("a red bicycle #0", "16:9")) {
		t.Error("the image is not the placeholder for the prompt")
	}
	if len(seen) != 1 || seen[0].Instances[0].Prompt != "a red bicycle" || *seen[0].Parameters.SampleCount != 2 || seen[0].Parameters.PersonGeneration != "DONT_ALLOW" {
		t.Errorf("OnPredict saw %+v", seen)
	}
}

func TestGenerateImagesRejects(t *testing.T) {
	srv := httptest.NewServer(fakegemini.New(fakegemini.Offline(), nil))
	defer srv.Close()
	c := newClient(t, backends[0].config(srv.URL, srv.Client()))
	for _, tt := range []struct {
		model string
		cfg   *genai.GenerateImagesConfig
		want  string
	}{
		{"imagen-4.0-generate-001", &genai.GenerateImagesConfig{NumberOfImages: 5}, "sampleCount must be between 1 and 4"},
		{"imagen-4.0-generate-001", &genai.GenerateImagesConfig{AspectRatio: "2:1"}, "Unsupported aspectRatio"},
		{"imagen-4.0-generate-001", &genai.GenerateImagesConfig{SafetyFilterLevel: "BLOCK_EVERYTHING"}, "Unsupported safetySetting"},
		{"gemini-2.5-flash", nil, "was not found"},
	} {
		_, err := c.Models.GenerateImages(t.Context(), tt.model, "x", tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %+v: error %v, want %q", tt.model, tt.cfg, err, tt.want)
		}
	}
	// Strict about the body: a field Imagen does not know is refused.
	resp, err := http.Post(srv.URL+"/v1beta1/projects/p/locations/l/publishers/google/models/imagen-4.0-generate-001:predict", "application/json",
		strings.NewReader(`{"instances":[{"prompt":"x"}],"parameters":{"sampleCount":1,"colour":"red"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown parameter: status %d, want 400", resp.StatusCode)
	}
}

// TestImageEdit sends an image and an instruction to an image model, on
// both backends, and gets an inline image back from the offline model.
func TestImageEdit(t *testing.T) {
	srv := httptest.NewServer(fakegemini.New(fakegemini.Offline(), nil))
	defer srv.Close()
	input := fakegemini.Placeholder("input", "")
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newClient(t, b.config(srv.URL, srv.Client()))
			contents := []*genai.Content{genai.NewContentFromParts([]*genai.Part{
				genai.NewPartFromBytes(input, "image/png"),
				genai.NewPartFromText("make it blue"),
			}, genai.RoleUser)}
			res, err := c.Models.GenerateContent(t.Context(), "gemini-2.5-flash-image", contents, &genai.GenerateContentConfig{
				ResponseModalities: []string{"TEXT", "IMAGE"},
				Temperature:        genai.Ptr[float32](1),
			})
			if err != nil {
				t.Fatal(err)
			}
			var images int
			for _, p := range res.Candidates[0].Content.Parts {
				if p.InlineData != nil {
					images++
					if _, err := png.Decode(bytes.NewReader(p.InlineData.Data)); err != nil || p.InlineData.MIMEType != "image/png" {
						t.Errorf("inline image %s: %v", p.InlineData.MIMEType, err)
					}
					if bytes.Equal(p.InlineData.Data, input) {
						t.Error("the edited image is the input")
					}
				}
			}
			if images != 1 || !strings.Contains(res.Text(), "make it blue") {
				t.Errorf("answer has %d images and text %q", images, res.Text())
			}
		})
	}
}

func TestInlineDataChecked(t *testing.T) {
	srv := httptest.NewServer(fakegemini.New(fakegemini.Offline(), nil))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1beta1/projects/p/locations/l/publishers/google/models/gemini-2.5-flash-image:generateContent", "application/json",
		strings.NewReader(`{"contents":[{"role":"user","parts":[{"inlineData":{"data":"iVBORw0KGgo="}},{"text":"edit"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("inline data without a MIME type: status %d, want 400", resp.StatusCode)
	}
}
