package imagen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"google.golang.org/genai"
)

var extensions = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/webp": ".webp",
	"image/gif":  ".gif",
}

// answer saves images and returns them as image content, followed by a
// text that lists where they were saved.
func (t *tool) answer(images []*genai.Blob, out *Output, prefix string) (*mcp.CallToolResult, *Output, error) {
	if err := os.MkdirAll(t.opts.Dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("creating the image folder: %w", err)
	}
	res := &mcp.CallToolResult{}
	var text strings.Builder
	stamp := t.opts.Now().UTC().Format("20060102-150405")
	for _, img := range images {
		saved, err := t.save(img, prefix+"-"+stamp+"-*")
		if err != nil {
			return nil, nil, err
		}
		out.Images = append(out.Images, saved)
		res.Content = append(res.Content, &mcp.ImageContent{Data: img.Data, MIMEType: img.MIMEType})
		fmt.Fprintf(&text, "saved %s (%s, %d bytes)", saved.Path, saved.MIMEType, saved.Bytes)
		if saved.URL != "" {
			fmt.Fprintf(&text, " at %s", saved.URL)
		}
		text.WriteString("\n")
	}
	if out.Text != "" {
		fmt.Fprintf(&text, "%s said: %s\n", out.Model, out.Text)
	}
	// The JSON mirror serves clients that read text only.
	mirror, _ := json.Marshal(out)
	res.Content = append(res.Content, &mcp.TextContent{Text: text.String()}, &mcp.TextContent{Text: string(mirror)})
	return res, out, nil
}

// save writes one image under a new name made from pattern.
func (t *tool) save(img *genai.Blob, pattern string) (Saved, error) {
	ext := extensions[img.MIMEType]
	if ext == "" {
		ext = ".img"
	}
	f, err := os.CreateTemp(t.opts.Dir, pattern+ext)
	if err != nil {
		return Saved{}, fmt.Errorf("saving the image: %w", err)
	}
	if _, err := f.Write(img.Data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return Saved{}, fmt.Errorf("saving the image: %w", err)
	}
	if err := f.Close(); err != nil {
		return Saved{}, fmt.Errorf("saving the image: %w", err)
	}
	// CreateTemp makes the file private; an image is meant to be shown.
	os.Chmod(f.Name(), 0o644)
	path, _ := filepath.Abs(f.Name())
	s := Saved{Path: path, MIMEType: img.MIMEType, Bytes: len(img.Data)}
	if t.opts.BaseURL != "" {
		s.URL = t.opts.BaseURL + "/" + filepath.Base(path)
	}
	return s, nil
}
