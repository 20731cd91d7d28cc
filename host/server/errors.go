package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

// apiError is an error with the status and OpenAI error fields the client
// gets.
type apiError struct {
	status     int
	typ        string
	code       string
	param      string
	message    string
	retryAfter int
}

func (e *apiError) Error() string { return e.message }

func badRequest(param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", param: param, message: fmt.Sprintf(format, args...)}
}

// toAPIError classifies any error of a run.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var le *llm.Error
	if errors.As(err, &le) {
		e := &apiError{message: le.Message, code: le.Status, retryAfter: le.RetryAfter}
		switch s := le.StatusCode; {
		case s == http.StatusBadRequest:
			e.status, e.typ = s, "invalid_request_error"
		case s == http.StatusNotFound:
			e.status, e.typ = s, "invalid_request_error"
		case s == http.StatusTooManyRequests:
			e.status, e.typ = s, "rate_limit_error"
		case s == http.StatusUnauthorized || s == http.StatusForbidden:
			// The host's own credentials were refused: not the client's fault.
			e.status, e.typ = http.StatusBadGateway, "upstream_error"
			e.message = "the model service refused the host's credentials: " + le.Message
		case s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout:
			e.status, e.typ = http.StatusServiceUnavailable, "upstream_error"
		default:
			e.status, e.typ = http.StatusBadGateway, "upstream_error"
		}
		return e
	}
	return &apiError{status: http.StatusInternalServerError, typ: "server_error", message: err.Error()}
}

func (e *apiError) body() openai.ErrorResponse {
	r := openai.ErrorResponse{Error: openai.Error{Message: e.message, Type: e.typ}}
	if e.param != "" {
		r.Error.Param = &e.param
	}
	if e.code != "" {
		r.Error.Code = &e.code
	}
	return r
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeJSON(w, e.status, e.body())
}

func writeError(w http.ResponseWriter, status int, typ, code, message string) {
	writeAPIError(w, &apiError{status: status, typ: typ, code: code, message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to do
}
