package fakegemini

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"slices"
	"strings"
)

// The image side of the fake: Imagen's :predict endpoint, and inline image
// parts in generateContent, as image models such as gemini-2.5-flash-image
// use them for generation and editing.

// PredictRequest is an Imagen :predict request, as genai's GenerateImages
// sends it. It is decoded with unknown fields disallowed.
type PredictRequest struct {
	Instances  []*PredictInstance `json:"instances"`
	Parameters *PredictParameters `json:"parameters,omitempty"`
	Labels     map[string]string  `json:"labels,omitempty"`

	// Model is the model named in the URL.
	Model string `json:"-"`
	// Vertex reports whether the call came on a Vertex AI path.
	Vertex bool `json:"-"`
}

// PredictInstance is one prompt.
type PredictInstance struct {
	Prompt string `json:"prompt"`
}

// PredictParameters are Imagen's generation parameters.
type PredictParameters struct {
	SampleCount             *int            `json:"sampleCount,omitempty"`
	AspectRatio             string          `json:"aspectRatio,omitempty"`
	SafetySetting           string          `json:"safetySetting,omitempty"`
	PersonGeneration        string          `json:"personGeneration,omitempty"`
	NegativePrompt          string          `json:"negativePrompt,omitempty"`
	Seed                    *int64          `json:"seed,omitempty"`
	GuidanceScale           *float64        `json:"guidanceScale,omitempty"`
	AddWatermark            *bool           `json:"addWatermark,omitempty"`
	IncludeRAIReason        *bool           `json:"includeRaiReason,omitempty"`
	IncludeSafetyAttributes *bool           `json:"includeSafetyAttributes,omitempty"`
	Language                string          `json:"language,omitempty"`
	EnhancePrompt           *bool           `json:"enhancePrompt,omitempty"`
	SampleImageSize         string          `json:"sampleImageSize,omitempty"`
	StorageURI              string          `json:"storageUri,omitempty"`
	OutputOptions           json.RawMessage `json:"outputOptions,omitempty"`
}

// The values Imagen accepts, compared case-insensitively as Vertex does.
var (
	AspectRatios      = []string{"1:1", "3:4", "4:3", "9:16", "16:9"}
	safetySettings    = []string{"block_low_and_above", "block_medium_and_above", "block_only_high", "block_none", "block_most", "block_some", "block_few", "block_fewest"}
	personGenerations = []string{"dont_allow", "allow_adult", "allow_all"}
)

// MaxImages is the most images one :predict call may ask for.
const MaxImages = 4

// predictResponse is Imagen's answer.
type predictResponse struct {
	Predictions []prediction `json:"predictions"`
}

type prediction struct {
	BytesBase64Encoded string `json:"bytesBase64Encoded"`
	MIMEType           string `json:"mimeType"`
}

// servePredict answers a :predict call with placeholder images, one per
// sample, after checking the request as Imagen does.
func (s *Server) servePredict(w http.ResponseWriter, hr *http.Request, rt route) {
	req, rerr := s.decodePredict(hr, rt)
	if rerr != nil {
		s.log.Info("rejected", "path", hr.URL.Path, "code", rerr.Code, "message", rerr.Message)
		if s.opts.OnReject != nil {
			s.opts.OnReject(hr, rerr)
		}
		writeError(w, rerr)
		return
	}
	if s.opts.OnPredict != nil {
		s.opts.OnPredict(req)
	}
	n := 1
	if p := req.Parameters; p != nil && p.SampleCount != nil {
		n = *p.SampleCount
	}
	ratio := ""
	if req.Parameters != nil {
		ratio = req.Parameters.AspectRatio
	}
	var resp predictResponse
	for i := range n {
		img := Placeholder(fmt.Sprintf("%s #%d", req.Instances[0].Prompt, i), ratio)
		resp.Predictions = append(resp.Predictions, prediction{BytesBase64Encoded: base64.StdEncoding.EncodeToString(img), MIMEType: "image/png"})
	}
	s.log.Info("answered", "model", req.Model, "images", n)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) decodePredict(hr *http.Request, rt route) (*PredictRequest, *Error) {
	if hr.Method != http.MethodPost {
		return nil, newError(http.StatusNotFound, "fakegemini: no route for %s %s", hr.Method, hr.URL.Path)
	}
	if e := s.authenticate(hr, rt); e != nil {
		return nil, e
	}
	body, err := io.ReadAll(hr.Body)
	if err != nil {
		return nil, invalid("reading request body: %v", err)
	}
	req := new(PredictRequest)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		return nil, invalid("Invalid JSON payload received. %v", err)
	}
	req.Model, req.Vertex = rt.model, rt.vertex
	if !strings.HasPrefix(req.Model, "imagen-") {
		return nil, newError(http.StatusNotFound, "Publisher Model `%s` was not found or your project does not have access to it; :predict serves imagen-* models", req.Model)
	}
	switch {
	case len(req.Instances) != 1:
		return nil, invalid("instances must hold exactly one prompt, got %d", len(req.Instances))
	case strings.TrimSpace(req.Instances[0].Prompt) == "":
		return nil, invalid("Image generation failed with the following error: The prompt could not be submitted. Prompt is empty.")
	}
	if p := req.Parameters; p != nil {
		if p.SampleCount != nil && (*p.SampleCount < 1 || *p.SampleCount > MaxImages) {
			return nil, invalid("sampleCount must be between 1 and %d, got %d", MaxImages, *p.SampleCount)
		}
		for _, f := range []struct {
			name, value string
			allowed     []string
		}{
			{"aspectRatio", p.AspectRatio, AspectRatios},
			{"safetySetting", p.SafetySetting, safetySettings},
			{"personGeneration", p.PersonGeneration, personGenerations},
		} {
			if f.value != "" && !slices.Contains(f.allowed, strings.ToLower(f.value)) {
				return nil, invalid("Unsupported %s: %q; supported: %s", f.name, f.value, strings.Join(f.allowed, ", "))
			}
		}
	}
	return req, nil
}

// Image returns a chunk holding one inline image part, as image models
// answer in generateContent.
func Image(mimeType string, data []byte) Chunk {
	raw, _ := json.Marshal(inlineData{MIMEType: mimeType, Data: base64.StdEncoding.EncodeToString(data)})
	return Chunk{Parts: []*Part{{InlineData: raw}}}
}

// inlineData is a Part's inlineData (a Blob).
type inlineData struct {
	MIMEType    string `json:"mimeType"`
	Data        string `json:"data"`
	DisplayName string `json:"displayName,omitempty"`
}

// checkInlineData checks every inline part as Gemini does: a MIME type, and
// data in base64.
func checkInlineData(req *Request) *Error {
	for i, c := range req.Contents {
		for j, p := range c.Parts {
			if p == nil || len(p.InlineData) == 0 {
				continue
			}
			var d inlineData
			dec := json.NewDecoder(bytes.NewReader(p.InlineData))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&d); err != nil {
				return invalid("contents[%d].parts[%d].inlineData: %v", i, j, err)
			}
			if d.MIMEType == "" {
				return invalid("contents[%d].parts[%d].inlineData.mimeType is required", i, j)
			}
			if _, err := base64.StdEncoding.DecodeString(d.Data); err != nil || d.Data == "" {
				return invalid("contents[%d].parts[%d].inlineData.data: Invalid value (bytes): not base64", i, j)
			}
		}
	}
	return nil
}

// wantsImage reports whether a generateContent request asks for images.
func wantsImage(req *Request) bool {
	if req.GenerationConfig == nil || len(req.GenerationConfig.ResponseModalities) == 0 {
		return false
	}
	var modalities []string
	json.Unmarshal(req.GenerationConfig.ResponseModalities, &modalities)
	return slices.ContainsFunc(modalities, func(m string) bool { return strings.EqualFold(m, "IMAGE") })
}

// offlineImage answers an image request of the offline model: a line of
// text and a placeholder image, different for each prompt and input image.
func offlineImage(_ context.Context, req *Request) *Turn {
	prompt := req.LastUserText()
	seed := prompt
	if last := req.Contents[len(req.Contents)-1]; last != nil {
		for _, p := range last.Parts {
			if p != nil && len(p.InlineData) > 0 {
				sum := sha256.Sum256(p.InlineData)
				seed += string(sum[:])
			}
		}
	}
	ratio := ""
	if req.GenerationConfig.ImageConfig != nil {
		var ic struct {
			AspectRatio string `json:"aspectRatio"`
		}
		json.Unmarshal(req.GenerationConfig.ImageConfig, &ic)
		ratio = ic.AspectRatio
	}
	return &Turn{Chunks: []Chunk{
		Text("Here is a placeholder image from the offline model for: " + prompt),
		Image("image/png", Placeholder(seed, ratio)),
	}}
}

// Placeholder returns a small PNG, a gradient whose colours derive from
// seed, in the aspect ratio given ("16:9"; anything else is square).
func Placeholder(seed, aspectRatio string) []byte {
	w, h := 128, 128
	switch aspectRatio {
	case "3:4":
		w, h = 96, 128
	case "4:3":
		w, h = 128, 96
	case "9:16":
		w, h = 72, 128
	case "16:9":
		w, h = 128, 72
	}
	sum := sha256.Sum256([]byte(seed))
	from := color.RGBA{sum[0], sum[1], sum[2], 255}
	to := color.RGBA{sum[3], sum[4], sum[5], 255}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := float64(x+y) / float64(w+h-2)
			mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t) }
			img.SetRGBA(x, y, color.RGBA{mix(from.R, to.R), mix(from.G, to.G), mix(from.B, to.B), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img) // writing to memory does not fail
	return b.Bytes()
}
