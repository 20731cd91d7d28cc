package everything

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The template resource's URI is templatePrefix + id + templateSuffix.
const (
	templatePrefix = "test://template/"
	templateSuffix = "/data"
)

func addResources(s *mcp.Server) {
	s.AddResource(&mcp.Resource{
		Name: "static-text", URI: "test://static-text", MIMEType: "text/plain",
		Description: "A static text resource",
	}, readText("This is the content of the static text resource."))
	s.AddResource(&mcp.Resource{
		Name: "static-binary", URI: "test://static-binary", MIMEType: "image/png",
		Description: "A static binary resource (a PNG image)",
	}, readBinary)
	s.AddResource(&mcp.Resource{
		Name: "watched-resource", URI: "test://watched-resource", MIMEType: "text/plain",
		Description: "A resource clients may subscribe to",
	}, readText("Watched resource content"))
	s.AddResourceTemplate(&mcp.ResourceTemplate{
		Name: "template", URITemplate: templatePrefix + "{id}" + templateSuffix, MIMEType: "application/json",
		Description: "A resource template with parameter substitution",
	}, readTemplate)
}

func readText(content string) mcp.ResourceHandler {
	return func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
			{URI: req.Params.URI, MIMEType: "text/plain", Text: content},
		}}, nil
	}
}

func readBinary(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
		{URI: req.Params.URI, MIMEType: "image/png", Blob: pngImage},
	}}, nil
}

// readTemplate answers with JSON naming the id taken from the URI; the SDK
// calls it only for URIs that match the template.
func readTemplate(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	id := strings.TrimSuffix(strings.TrimPrefix(uri, templatePrefix), templateSuffix)
	body := fmt.Sprintf(`{"id": %q, "templateTest": true, "data": "Data for ID: %s"}`, id, id)
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
		{URI: uri, MIMEType: "application/json", Text: body},
	}}, nil
}
