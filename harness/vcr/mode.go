package vcr

import (
	"fmt"
	"strings"
)

// Mode says where model traffic goes and what is kept of it.
type Mode string

// The modes.
const (
	// Replay answers from the cassette only; nothing reaches the network
	// and no credentials are read. A request the cassette does not hold is
	// an error naming the cassette and the request.
	Replay Mode = "replay"
	// Record sends requests to the real service (through the transport the
	// caller gives, which adds the credentials) and writes the cassette,
	// redacted, when the recorder is closed.
	Record Mode = "record"
	// Off sends requests to the real service and keeps nothing.
	Off Mode = "off"
)

// EnvVar is the environment variable that selects the mode.
const EnvVar = "GOMCPTEST_VCR"

// ParseMode reads a mode name; "" is Replay.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return Replay, nil
	case Replay, Record, Off:
		return m, nil
	}
	return "", fmt.Errorf("%s=%q: use replay, record or off", EnvVar, s)
}

// ModeFromEnv is the mode tests run in: Record when record is true (the
// -record test flag), else the one GOMCPTEST_VCR names, else Replay.
func ModeFromEnv(record bool, getenv func(string) string) (Mode, error) {
	if record {
		return Record, nil
	}
	return ParseMode(getenv(EnvVar))
}
