package vcr

import (
	"flag"
	"testing"
)

func TestModeFrom(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	boolFlag := func(v bool) *flag.Flag {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.Bool(FlagName, v, "")
		return fs.Lookup(FlagName)
	}
	other := flag.NewFlagSet("t", flag.ContinueOnError)
	other.String(FlagName, "true", "a -record flag that is not a boolean")
	for _, tc := range []struct {
		flag *flag.Flag
		env  string
		want Mode
	}{
		{nil, "", Replay},
		{nil, "record", Record},
		{nil, " Record-Missing ", RecordMissing},
		{nil, " OFF ", Off},
		{boolFlag(false), "off", Off},
		{boolFlag(true), "off", Record},
		{boolFlag(true), "live", Record},
		{other.Lookup(FlagName), "", Replay},
	} {
		got, err := modeFrom(tc.flag, env(tc.env))
		if err != nil || got != tc.want {
			t.Errorf("modeFrom(%v, %q) = %q, %v; want %q", tc.flag, tc.env, got, err, tc.want)
		}
	}
	if _, err := modeFrom(nil, env("live")); err == nil || err.Error() != `GOMCPTEST_VCR: mode "live": use replay, record, record-missing or off` {
		t.Errorf("modeFrom(live): %v", err)
	}
}
