package vcr

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// Mode says where model traffic goes and what is kept of it.
type Mode string

// The modes.
const (
	// Replay answers from the cassette only; nothing reaches the network
	// and no credentials are read. A request the cassette does not hold is
	// an error naming the cassette, the request and the nearest recorded
	// one.
	Replay Mode = "replay"
	// Record sends every request to the real service (through
	// Options.Transport, which adds the credentials) and writes a new
	// cassette, redacted, when the recorder is closed.
	Record Mode = "record"
	// RecordMissing replays what the cassette holds and records what it
	// lacks, for growing a cassette when a test gains a request. The
	// cassette is written again only if something was recorded; a
	// missing cassette is started.
	RecordMissing Mode = "record-missing"
	// Off sends requests to the real service and keeps nothing.
	Off Mode = "off"
)

// EnvVar is the environment variable that selects the mode of NewTest:
// replay, record, record-missing or off.
const EnvVar = "GOMCPTEST_VCR"

// FlagName is the test flag that NewTest reads: -record is Record,
// whatever EnvVar says.
const FlagName = "record"

// ParseMode reads a mode name; "" is Replay.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return Replay, nil
	case Replay, Record, RecordMissing, Off:
		return m, nil
	}
	return "", fmt.Errorf("mode %q: use replay, record, record-missing or off", s)
}

// ModeFromEnv is the mode NewTest uses when Options.Mode is empty: Record
// when the test binary's -record flag is set, else the mode
// GOMCPTEST_VCR names, else Replay. The flag is a boolean flag named
// "record" on flag.CommandLine, defined by RegisterFlags or by the test
// itself; without one, only GOMCPTEST_VCR counts.
func ModeFromEnv() (Mode, error) {
	return modeFrom(flag.CommandLine.Lookup(FlagName), os.Getenv)
}

func modeFrom(record *flag.Flag, getenv func(string) string) (Mode, error) {
	if record != nil {
		if b, ok := record.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && record.Value.String() == "true" {
			return Record, nil
		}
	}
	m, err := ParseMode(getenv(EnvVar))
	if err != nil {
		return "", fmt.Errorf("%s: %w", EnvVar, err)
	}
	return m, nil
}

// RegisterFlags defines the -record test flag on fs, unless fs already
// has a flag of that name (the test's own -record flag then serves).
// NewTest reads the flag from flag.CommandLine, so call it with that, in
// an init function or TestMain of the test package:
//
//	func init() { vcr.RegisterFlags(flag.CommandLine) }
func RegisterFlags(fs *flag.FlagSet) {
	if fs.Lookup(FlagName) == nil {
		fs.Bool(FlagName, false, "record the vcr cassettes again (as "+EnvVar+"=record)")
	}
}
