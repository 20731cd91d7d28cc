package toolbox

import (
	"fmt"
	"strings"
)

// BaseEnv returns the names of the variables every stdio server gets from
// the host's environment when they are set: what programs need to run, find
// their home and temporary folder, and speak the user's language, and
// nothing that holds a key or a credential. "LC_*" stands for every
// variable whose name starts with LC_. GOCOVERDIR lets binaries built with
// -cover report their coverage. The caller may modify the slice.
func BaseEnv() []string {
	return []string{"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TZ", "TMPDIR", "LANG", "LC_*", "GOCOVERDIR"}
}

func isBaseEnv(name string) bool {
	for _, b := range BaseEnv() {
		if name == b || strings.HasSuffix(b, "*") && strings.HasPrefix(name, strings.TrimSuffix(b, "*")) {
			return true
		}
	}
	return false
}

// hostEnv is the host's environment, as given to [New].
type hostEnv struct {
	base []string          // the "K=V" entries of BaseEnv, in the host's order
	vars map[string]string // every variable; the first of duplicates wins
}

func newHostEnv(environ []string) hostEnv {
	h := hostEnv{vars: make(map[string]string)}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		if _, dup := h.vars[k]; dup {
			continue
		}
		h.vars[k] = v
		if isBaseEnv(k) {
			h.base = append(h.base, kv)
		}
	}
	return h
}

// pass returns "NAME=value" for each of names the host has set, and the
// names it has not.
func (h hostEnv) pass(names []string) (env, missing []string) {
	for _, name := range names {
		if v, ok := h.vars[name]; ok {
			env = append(env, name+"="+v)
		} else {
			missing = append(missing, name)
		}
	}
	return env, missing
}

// checkNames returns an error naming the first entry of names that cannot
// be an environment variable.
func checkNames(names []string) error {
	for _, n := range names {
		if !isEnvName(n) {
			return fmt.Errorf("%q is not an environment variable name", n)
		}
	}
	return nil
}
