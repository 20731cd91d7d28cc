package server

import (
	"net/http"

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
	list := openai.ToolList{Tools: []openai.ToolInfo{}}
	for _, t := range s.toolList() {
		list.Tools = append(list.Tools, openai.ToolInfo{Name: t.Name, Description: t.Description, Server: t.Server, InputSchema: t.InputSchema})
	}
	writeJSON(w, http.StatusOK, list)
}
