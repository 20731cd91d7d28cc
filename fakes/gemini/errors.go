package fakegemini

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is a Google API error, written on the wire as
// {"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}.
// It is what the genai client surfaces as genai.APIError. Details, when
// set, are google.rpc messages, each a JSON object with an "@type"
// (ErrorInfo, RetryInfo, LocalizedMessage, ...).
type Error struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Status  string            `json:"status"`
	Details []json.RawMessage `json:"details,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Code, e.Status, e.Message)
}

// statusFor returns the canonical Google status name for an HTTP code.
func statusFor(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ABORTED"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 499:
		return "CANCELLED"
	case 500:
		return "INTERNAL"
	case 501:
		return "UNIMPLEMENTED"
	case 503:
		return "UNAVAILABLE"
	case 504:
		return "DEADLINE_EXCEEDED"
	}
	return "UNKNOWN"
}

// isStatus reports whether s is a canonical Google status name.
func isStatus(s string) bool {
	switch s {
	case "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
		"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
		"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
		"INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED":
		return true
	}
	return false
}

// newError returns an Error with the canonical status for code.
func newError(code int, format string, args ...any) *Error {
	return &Error{Code: code, Status: statusFor(code), Message: fmt.Sprintf(format, args...)}
}

// invalid returns a 400 INVALID_ARGUMENT error.
func invalid(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, format, args...)
}

// body returns the JSON error body Google sends.
func (e *Error) body() []byte {
	b, _ := json.Marshal(struct {
		Error *Error `json:"error"`
	}{e})
	return b
}

func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(e.Code)
	w.Write(e.body())
}
