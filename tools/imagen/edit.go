package imagen

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// MaxInputBytes is the largest image imagen_edit accepts.
const MaxInputBytes = 20 << 20

// EditInput is the imagen_edit tool's arguments.
type EditInput struct {
	EditInstruction string   `json:"edit_instruction" jsonschema:"the change to make, in plain language"`
	ImagePath       string   `json:"image_path,omitempty" jsonschema:"absolute path of the image to edit; or give base64_image and mime_type"`
	Base64Image     string   `json:"base64_image,omitempty" jsonschema:"the image to edit, in base64 without a data: prefix"`
	MIMEType        string   `json:"mime_type,omitempty" jsonschema:"the MIME type of base64_image, e.g. image/png or image/jpeg"`
	Temperature     *float64 `json:"temperature,omitempty" jsonschema:"0 to 2, default 1"`
	TopP            *float64 `json:"top_p,omitempty" jsonschema:"0 to 1, default 0.95"`
}

// RegisterEdit adds the imagen_edit tool to s.
func RegisterEdit(s *mcp.Server, opts *Options) error {
	t, err := newTool(opts)
	if err != nil {
		return err
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "imagen_edit",
		Description: editDescription,
		Annotations: &mcp.ToolAnnotations{OpenWorldHint: new(true), DestructiveHint: new(false)},
	}, t.edit)
	return nil
}

func (t *tool) edit(ctx context.Context, _ *mcp.CallToolRequest, in EditInput) (*mcp.CallToolResult, *Output, error) {
	if strings.TrimSpace(in.EditInstruction) == "" {
		return nil, nil, errors.New("edit_instruction is empty; say what to change")
	}
	temperature := 1.0
	if in.Temperature != nil {
		temperature = *in.Temperature
	}
	topP := 0.95
	if in.TopP != nil {
		topP = *in.TopP
	}
	if temperature < 0 || temperature > 2 {
		return nil, nil, fmt.Errorf("temperature must be between 0 and 2, got %g", temperature)
	}
	if topP < 0 || topP > 1 {
		return nil, nil, fmt.Errorf("top_p must be between 0 and 1, got %g", topP)
	}
	img, err := t.input(in)
	if err != nil {
		return nil, nil, err
	}
	t.opts.Logger.Info("editing", "instruction", in.EditInstruction, "mime_type", img.MIMEType, "bytes", len(img.Data))
	out := &Output{Model: t.opts.ImageModel}
	images, text, err := t.ask(ctx, []*genai.Part{{InlineData: img}, genai.NewPartFromText(in.EditInstruction)}, &genai.GenerateContentConfig{
		Temperature: genai.Ptr(float32(temperature)),
		TopP:        genai.Ptr(float32(topP)),
	})
	out.Text = strings.TrimSpace(text)
	if err != nil {
		return nil, nil, fmt.Errorf("editing the image with %s: %w", out.Model, err)
	}
	if len(images) == 0 {
		return nil, nil, fmt.Errorf("%s returned no image; rephrase the instruction%s", out.Model, said(out.Text))
	}
	return t.answer(images, out, "edit")
}

// input reads the image to edit from the path or the base64 argument.
func (t *tool) input(in EditInput) (*genai.Blob, error) {
	var data []byte
	switch {
	case in.ImagePath != "" && in.Base64Image != "":
		return nil, errors.New("give either image_path or base64_image, not both")
	case in.ImagePath != "":
		root, name, err := t.opts.Policy.Open(in.ImagePath)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		// Opening a FIFO would block beyond the reach of the call's context.
		f, _, err := root.OpenRegular(name)
		switch {
		case errors.Is(err, toolkit.ErrNotRegular):
			return nil, fmt.Errorf("%s is not a regular file; give the path of an image file", in.ImagePath)
		case err != nil:
			return nil, fmt.Errorf("opening %s: %w", in.ImagePath, err)
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, MaxInputBytes+1))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", in.ImagePath, err)
		}
	case in.Base64Image != "":
		b64 := in.Base64Image
		if strings.HasPrefix(b64, "data:") {
			if _, rest, ok := strings.Cut(b64, ","); ok {
				b64 = rest
			}
		}
		var err error
		data, err = base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("base64_image is not valid base64: %v", err)
		}
	default:
		return nil, errors.New("no image: give image_path (an absolute path) or base64_image with mime_type")
	}
	if len(data) > MaxInputBytes {
		return nil, fmt.Errorf("the image is over %d bytes; make a smaller copy first", MaxInputBytes)
	}
	sniffed := http.DetectContentType(data)
	if _, ok := extensions[sniffed]; !ok {
		return nil, fmt.Errorf("the data is not a PNG, JPEG, WebP or GIF image (it looks like %s)", sniffed)
	}
	mime := cmp.Or(in.MIMEType, sniffed)
	if mime != sniffed {
		return nil, fmt.Errorf("mime_type says %s but the data is %s; fix mime_type", in.MIMEType, sniffed)
	}
	return &genai.Blob{Data: data, MIMEType: mime}, nil
}
