package conform

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
)

// contentItem is the union of the content types a result may carry.
type contentItem struct {
	Type        string          `json:"type"`
	Text        *string         `json:"text"`
	Data        *string         `json:"data"`
	MimeType    *string         `json:"mimeType"`
	URI         *string         `json:"uri"`
	Name        *string         `json:"name"`
	Resource    json.RawMessage `json:"resource"`
	Annotations json.RawMessage `json:"annotations"`
}

// checkContent reports why one content item is malformed, or nil.
func checkContent(raw json.RawMessage) error {
	var c contentItem
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("content item does not decode: %v", err)
	}
	switch c.Type {
	case "text":
		if c.Text == nil {
			return fmt.Errorf("text content without text")
		}
	case "image", "audio":
		if c.Data == nil {
			return fmt.Errorf("%s content without data", c.Type)
		}
		if _, err := base64.StdEncoding.DecodeString(*c.Data); err != nil {
			return fmt.Errorf("%s data is not base64: %v", c.Type, err)
		}
		if c.MimeType == nil || *c.MimeType == "" {
			return fmt.Errorf("%s content without mimeType", c.Type)
		}
	case "resource_link":
		if c.URI == nil || c.Name == nil {
			return fmt.Errorf("resource_link without uri or name")
		}
	case "resource":
		if err := checkResourceContents(c.Resource); err != nil {
			return fmt.Errorf("embedded resource: %v", err)
		}
	default:
		return fmt.Errorf("unknown content type %q", c.Type)
	}
	return checkAnnotations(c.Annotations)
}

// checkResourceContents checks one entry of resources/read or an
// embedded resource: a uri and either text or base64 blob.
func checkResourceContents(raw json.RawMessage) error {
	var r struct {
		URI  *string `json:"uri"`
		Text *string `json:"text"`
		Blob *string `json:"blob"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("does not decode: %v", err)
	}
	switch {
	case r.URI == nil:
		return fmt.Errorf("no uri")
	case (r.Text == nil) == (r.Blob == nil):
		return fmt.Errorf("want exactly one of text and blob")
	case r.Blob != nil:
		if _, err := base64.StdEncoding.DecodeString(*r.Blob); err != nil {
			return fmt.Errorf("blob is not base64: %v", err)
		}
	}
	return nil
}

// checkAnnotations checks the annotations of a content item or resource.
func checkAnnotations(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var a struct {
		Audience *[]string `json:"audience"`
		Priority *float64  `json:"priority"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("annotations: %v", err)
	}
	if a.Audience != nil {
		for _, r := range *a.Audience {
			if !slices.Contains([]string{"user", "assistant"}, r) {
				return fmt.Errorf("annotations: audience %q is not user or assistant", r)
			}
		}
	}
	if a.Priority != nil && (*a.Priority < 0 || *a.Priority > 1) {
		return fmt.Errorf("annotations: priority %v is outside [0, 1]", *a.Priority)
	}
	return nil
}
