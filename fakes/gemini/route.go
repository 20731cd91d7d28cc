package fakegemini

import "strings"

// route is what the URL path of a generateContent call says.
type route struct {
	vertex  bool
	model   string
	stream  bool
	predict bool // Imagen's :predict, not generateContent
}

// parseRoute recognises the paths genai builds:
//
//	Vertex AI:  /{v1|v1beta1}/projects/P/locations/L/publishers/google/models/M:METHOD
//	            /{v1|v1beta1}/publishers/google/models/M:METHOD  (API key or custom base URL without project)
//	Gemini API: /{v1|v1beta}/models/M:METHOD
//
// where METHOD is generateContent, streamGenerateContent or predict.
func parseRoute(path string) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) < 3 {
		return route{}, false
	}
	version, rest := segs[0], segs[1:]
	var r route
	switch {
	case (version == "v1" || version == "v1beta1") && len(rest) == 8 &&
		rest[0] == "projects" && rest[2] == "locations" && rest[4] == "publishers" && rest[5] == "google" && rest[6] == "models":
		r.vertex, rest = true, rest[7:]
	case (version == "v1" || version == "v1beta1") && len(rest) == 4 &&
		rest[0] == "publishers" && rest[1] == "google" && rest[2] == "models":
		r.vertex, rest = true, rest[3:]
	case (version == "v1" || version == "v1beta") && len(rest) == 2 && rest[0] == "models":
		rest = rest[1:]
	default:
		return route{}, false
	}
	model, method, ok := strings.Cut(rest[0], ":")
	if !ok || model == "" {
		return route{}, false
	}
	switch method {
	case "generateContent":
	case "streamGenerateContent":
		r.stream = true
	case "predict":
		r.predict = true
	default:
		return route{}, false
	}
	r.model = model
	return r, true
}
