// Package imagen provides the image tools: imagen generates images from a
// prompt, imagen_edit edits an image following an instruction. Both save
// the images under an output folder and return them as MCP image content
// with their paths, and their URLs when the folder is served over HTTP.
//
// They talk to the model service through genai, on the backends the host
// uses (see host/backend): on Vertex AI, imagen calls Imagen
// (models/imagen-*:predict); on the Gemini API, and on the offline model,
// it asks an image model through generateContent, since genai offers
// Imagen on Vertex AI only. imagen_edit always sends the image and the
// instruction to an image model through generateContent.
package imagen

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

var (
	//go:embed imagen.md
	imagenDescription string
	//go:embed edit.md
	editDescription string
)

// Default models.
const (
	DefaultImagenModel = "imagen-4.0-generate-001"
	DefaultImageModel  = "gemini-2.5-flash-image"
)

// MaxImages is the most images one imagen call makes.
const MaxImages = 4

// AspectRatios are the aspect ratios imagen accepts.
var AspectRatios = []string{"1:1", "3:4", "4:3", "9:16", "16:9"}

// safetyLevels maps the accepted safetyFilterLevel values, old names
// included, to the ones Imagen takes.
var safetyLevels = map[string]genai.SafetyFilterLevel{
	"block_most":             genai.SafetyFilterLevelBlockLowAndAbove,
	"block_some":             genai.SafetyFilterLevelBlockMediumAndAbove,
	"block_few":              genai.SafetyFilterLevelBlockOnlyHigh,
	"block_fewest":           genai.SafetyFilterLevelBlockNone,
	"block_low_and_above":    genai.SafetyFilterLevelBlockLowAndAbove,
	"block_medium_and_above": genai.SafetyFilterLevelBlockMediumAndAbove,
	"block_only_high":        genai.SafetyFilterLevelBlockOnlyHigh,
	"block_none":             genai.SafetyFilterLevelBlockNone,
}

var personGenerations = map[string]genai.PersonGeneration{
	"dont_allow":  genai.PersonGenerationDontAllow,
	"allow_adult": genai.PersonGenerationAllowAdult,
	"allow_all":   genai.PersonGenerationAllowAll,
}

// Input is the imagen tool's arguments.
type Input struct {
	Prompt            string `json:"prompt" jsonschema:"what the image shows: subject, setting, style, lighting, composition"`
	AspectRatio       string `json:"aspectRatio,omitempty" jsonschema:"1:1 (default), 3:4, 4:3, 9:16 or 16:9"`
	SafetyFilterLevel string `json:"safetyFilterLevel,omitempty" jsonschema:"block_some (default), block_most, block_few, block_fewest, block_low_and_above, block_medium_and_above, block_only_high or block_none"`
	PersonGeneration  string `json:"personGeneration,omitempty" jsonschema:"dont_allow (default), allow_adult or allow_all"`
	NumberOfImages    int    `json:"number_of_images,omitempty" jsonschema:"how many images to make, 1 to 4; default 1"`
}

// Output is the structured result of both tools.
type Output struct {
	Images []Saved `json:"images" jsonschema:"the images made, as saved"`
	Model  string  `json:"model" jsonschema:"the model that made them"`
	Text   string  `json:"text,omitempty" jsonschema:"what the model said beside the images, if anything"`
}

// Saved is one saved image.
type Saved struct {
	Path     string `json:"path" jsonschema:"absolute path of the saved file"`
	URL      string `json:"url,omitempty" jsonschema:"where the file is served over HTTP, when it is"`
	MIMEType string `json:"mime_type" jsonschema:"the image's MIME type"`
	Bytes    int    `json:"bytes" jsonschema:"the file's size"`
}

// Options configures the tools. Client and Dir are required.
type Options struct {
	// Client reaches the model service.
	Client *genai.Client
	// Dir is the folder images are saved in; it is created if missing.
	Dir string
	// BaseURL, when set, is where Dir is served over HTTP: an image's URL
	// is BaseURL/NAME.
	BaseURL string
	// ImagenModel is the Imagen model on Vertex AI; default
	// [DefaultImagenModel].
	ImagenModel string
	// ImageModel is the image model called through generateContent;
	// default [DefaultImageModel].
	ImageModel string
	// Policy confines image_path; nil means no confinement.
	Policy *toolkit.Policy
	// Now names the files; default time.Now.
	Now func() time.Time
	// Logger logs each generation; nil means no logging.
	Logger *slog.Logger
}

type tool struct {
	opts   Options
	vertex bool
}

func newTool(opts *Options) (*tool, error) {
	if opts == nil || opts.Client == nil || opts.Dir == "" {
		return nil, errors.New("imagen: Options.Client and Options.Dir are required")
	}
	t := &tool{opts: *opts, vertex: opts.Client.ClientConfig().Backend == genai.BackendVertexAI}
	t.opts.ImagenModel = cmp.Or(t.opts.ImagenModel, DefaultImagenModel)
	t.opts.ImageModel = cmp.Or(t.opts.ImageModel, DefaultImageModel)
	t.opts.BaseURL = strings.TrimRight(t.opts.BaseURL, "/")
	if t.opts.Now == nil {
		t.opts.Now = time.Now
	}
	if t.opts.Logger == nil {
		t.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return t, nil
}

// Register adds the imagen tool to s.
func Register(s *mcp.Server, opts *Options) error {
	t, err := newTool(opts)
	if err != nil {
		return err
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "imagen",
		Description: imagenDescription,
		Annotations: &mcp.ToolAnnotations{OpenWorldHint: new(true), DestructiveHint: new(false)},
	}, t.generate)
	return nil
}

func (t *tool) generate(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, *Output, error) {
	if strings.TrimSpace(in.Prompt) == "" {
		return nil, nil, errors.New("prompt is empty; describe the image to make")
	}
	ratio := cmp.Or(in.AspectRatio, "1:1")
	if !slices.Contains(AspectRatios, ratio) {
		return nil, nil, fmt.Errorf("aspectRatio %q is not supported; use one of %s", in.AspectRatio, strings.Join(AspectRatios, ", "))
	}
	safety, ok := safetyLevels[strings.ToLower(cmp.Or(in.SafetyFilterLevel, "block_some"))]
	if !ok {
		return nil, nil, fmt.Errorf("safetyFilterLevel %q is not supported; use block_some, block_most, block_few or block_fewest", in.SafetyFilterLevel)
	}
	person, ok := personGenerations[strings.ToLower(cmp.Or(in.PersonGeneration, "dont_allow"))]
	if !ok {
		return nil, nil, fmt.Errorf("personGeneration %q is not supported; use dont_allow, allow_adult or allow_all", in.PersonGeneration)
	}
	n := cmp.Or(in.NumberOfImages, 1)
	if n < 1 || n > MaxImages {
		return nil, nil, fmt.Errorf("number_of_images must be between 1 and %d, got %d", MaxImages, in.NumberOfImages)
	}
	t.opts.Logger.Info("generating", "prompt", in.Prompt, "images", n, "vertex", t.vertex)
	var (
		images []*genai.Blob
		out    = &Output{}
		err    error
	)
	if t.vertex {
		out.Model = t.opts.ImagenModel
		images, err = t.imagen(ctx, in.Prompt, ratio, safety, person, n)
	} else {
		out.Model = t.opts.ImageModel
		for range n {
			var got []*genai.Blob
			var text string
			got, text, err = t.ask(ctx, []*genai.Part{genai.NewPartFromText(in.Prompt)}, &genai.GenerateContentConfig{
				ImageConfig: &genai.ImageConfig{AspectRatio: ratio},
			})
			if err != nil {
				break
			}
			images = append(images, got...)
			out.Text = strings.TrimSpace(out.Text + "\n" + text)
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("generating the image with %s: %w", out.Model, err)
	}
	if len(images) == 0 {
		return nil, nil, fmt.Errorf("%s returned no image (it may have been filtered for safety: rephrase the prompt)%s", out.Model, said(out.Text))
	}
	return t.answer(images, out, "imagen")
}

// imagen calls Imagen on Vertex AI.
func (t *tool) imagen(ctx context.Context, prompt, ratio string, safety genai.SafetyFilterLevel, person genai.PersonGeneration, n int) ([]*genai.Blob, error) {
	res, err := t.opts.Client.Models.GenerateImages(ctx, t.opts.ImagenModel, prompt, &genai.GenerateImagesConfig{
		NumberOfImages:    int32(n),
		AspectRatio:       ratio,
		SafetyFilterLevel: safety,
		PersonGeneration:  person,
		IncludeRAIReason:  true,
	})
	if err != nil {
		return nil, err
	}
	var images []*genai.Blob
	var reasons []string
	for _, g := range res.GeneratedImages {
		if g.Image != nil && len(g.Image.ImageBytes) > 0 {
			images = append(images, &genai.Blob{Data: g.Image.ImageBytes, MIMEType: cmp.Or(g.Image.MIMEType, "image/png")})
		} else if g.RAIFilteredReason != "" {
			reasons = append(reasons, g.RAIFilteredReason)
		}
	}
	if len(images) == 0 && len(reasons) > 0 {
		return nil, fmt.Errorf("every image was filtered: %s", strings.Join(reasons, "; "))
	}
	return images, nil
}

// ask sends parts to the image model and returns the images and text it
// answers.
func (t *tool) ask(ctx context.Context, parts []*genai.Part, cfg *genai.GenerateContentConfig) ([]*genai.Blob, string, error) {
	cfg.ResponseModalities = []string{"TEXT", "IMAGE"}
	res, err := t.opts.Client.Models.GenerateContent(ctx, t.opts.ImageModel, []*genai.Content{genai.NewContentFromParts(parts, genai.RoleUser)}, cfg)
	if err != nil {
		return nil, "", err
	}
	var images []*genai.Blob
	var text strings.Builder
	for _, c := range res.Candidates {
		if c.Content == nil {
			continue
		}
		for _, p := range c.Content.Parts {
			switch {
			case p.InlineData != nil && strings.HasPrefix(p.InlineData.MIMEType, "image/"):
				images = append(images, p.InlineData)
			case p.Text != "" && !p.Thought:
				text.WriteString(p.Text)
			}
		}
	}
	if len(images) == 0 && res.PromptFeedback != nil && res.PromptFeedback.BlockReason != "" {
		return nil, text.String(), fmt.Errorf("the prompt was blocked (%s)", res.PromptFeedback.BlockReason)
	}
	return images, text.String(), nil
}

func said(text string) string {
	if text == "" {
		return ""
	}
	return "; the model said: " + text
}
