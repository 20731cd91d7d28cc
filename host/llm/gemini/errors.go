package gemini

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

// errStopped ends a turn whose consumer stopped reading.
var errStopped = errors.New("consumer stopped")

// apiError translates an error of a streaming call: cancellation wins, a
// genai.APIError becomes an *llm.Error, anything else is wrapped.
func apiError(ctx context.Context, model string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ae genai.APIError
	var aep *genai.APIError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &aep):
		ae = *aep
	default:
		if errors.Is(err, ErrMalformedFunctionCall) {
			return err
		}
		return fmt.Errorf("streaming %s: %w", model, err)
	}
	e := &llm.Error{
		StatusCode: ae.Code,
		Status:     ae.Status,
		Message:    ae.Message,
		RetryAfter: retryAfter(ae.Details),
	}
	// genai fills Status with the HTTP status line ("429 Too Many
	// Requests") when the body is not a Google error; that is not a status
	// name.
	if strings.HasPrefix(e.Status, strconv.Itoa(e.StatusCode)+" ") {
		e.Status = ""
	}
	if e.Message == "" {
		e.Message = http.StatusText(e.StatusCode)
	}
	return e
}

// retryAfter reads the seconds of a google.rpc.RetryInfo detail, rounded
// up; zero if there is none.
func retryAfter(details []map[string]any) int {
	for _, d := range details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		s, _ := d["retryDelay"].(string)
		if dur, err := time.ParseDuration(s); err == nil && dur > 0 {
			return int(math.Ceil(dur.Seconds()))
		}
	}
	return 0
}
