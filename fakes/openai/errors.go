package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is an OpenAI API error, written on the wire as
// {"error":{"message","type","param","code"}} with HTTP status Status.
type Error struct {
	Status  int     `json:"-"`
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Type, e.Message)
}

// newError returns the error OpenAI answers with status: its type and code.
func newError(status int, format string, args ...any) *Error {
	e := &Error{Status: status, Message: fmt.Sprintf(format, args...), Type: "invalid_request_error"}
	code := func(s string) { e.Code = &s }
	switch {
	case status == http.StatusUnauthorized:
		code("invalid_api_key")
	case status == http.StatusNotFound:
		code("model_not_found")
	case status == http.StatusTooManyRequests:
		e.Type = "requests"
		code("rate_limit_exceeded")
	case status >= 500:
		e.Type = "server_error"
	}
	return e
}

func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json")
	if e.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(struct {
		Error *Error `json:"error"`
	}{e})
}
