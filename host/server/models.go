package server

import (
	"net/http"
	"strings"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	list := openai.ModelList{Object: "list", Data: []openai.Model{}}
	for _, m := range s.provider.Models() {
		list.Data = append(list.Data, toOpenAIModel(m))
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m, ok := s.model(id)
	if !ok {
		writeAPIError(w, unknownModel(id))
		return
	}
	writeJSON(w, http.StatusOK, toOpenAIModel(m))
}

func (s *Server) model(id string) (llm.Model, bool) {
	for _, m := range s.provider.Models() {
		if m.ID == id {
			return m, true
		}
	}
	return llm.Model{}, false
}

func unknownModel(id string) *apiError {
	return &apiError{status: http.StatusNotFound, typ: "invalid_request_error", param: "model", code: "model_not_found",
		message: "the model " + quote(id) + " does not exist; GET /v1/models lists the models served"}
}

func toOpenAIModel(m llm.Model) openai.Model {
	return openai.Model{ID: m.ID, Object: "model", Created: m.Created, OwnedBy: m.OwnedBy}
}

func (s *Server) handleTools(w http.ResponseWriter, r *http.Request) {
	if err := s.awaitReady(r); err != nil {
		return
	}
	list := openai.ToolList{Tools: []openai.ToolInfo{}}
	for _, t := range s.toolList() {
		list.Tools = append(list.Tools, openai.ToolInfo{Name: t.Name, Description: t.Description, Server: t.Server, InputSchema: t.Parameters})
	}
	for _, name := range s.opts.BuiltinTools {
		list.Tools = append(list.Tools, openai.ToolInfo{Name: name, Description: builtinDescription(name), Builtin: true})
	}
	writeJSON(w, http.StatusOK, list)
}

// builtinDescription says what a built-in tool of the model does.
func builtinDescription(name string) string {
	switch name {
	case "code_execution":
		return "The model writes and runs Python code on Google's side (built into Gemini)."
	case "google_search":
		return "The model searches the web with Google and grounds its answer in the results (built into Gemini)."
	case "google_search_retrieval":
		return "The model grounds its answer in Google Search results, by dynamic retrieval (built into Gemini)."
	}
	return "A tool built into the model."
}

// builtinName returns the host's name of a built-in tool given by one of
// the names the original gomcptest used ("VertexAI Code Execution"), or
// name itself.
func builtinName(name string) string {
	switch strings.ToLower(strings.Join(strings.Fields(name), " ")) {
	case "vertexai code execution", "vertex ai code execution":
		return "code_execution"
	case "vertexai google search", "vertex ai google search":
		return "google_search"
	case "vertexai google search retrieval", "vertex ai google search retrieval":
		return "google_search_retrieval"
	}
	return name
}
