package conform

import "slices"

// A CheckInfo describes one check of [Check], as its results name it.
type CheckInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Level Level  `json:"level"`
	// Revisions are the protocol revisions the check applies to, oldest
	// first: every revision of [Revisions] when it has no limit.
	Revisions []string `json:"revisions"`
	// Transport is "stdio" or "http" for a check of one transport, empty
	// for both.
	Transport string `json:"transport,omitempty"`
	// Spec is the URL of the section of the specification it enforces.
	Spec string `json:"spec"`
}

// Checks returns every check, in the order [Check] runs them. The slice
// is new on each call: the caller may change it.
func Checks() []CheckInfo {
	var infos []CheckInfo
	for _, c := range checks() {
		revs := c.revisions
		if revs == nil {
			revs = Revisions()
		}
		infos = append(infos, CheckInfo{
			ID:        c.id,
			Title:     c.title,
			Level:     c.level,
			Revisions: slices.Clone(revs),
			Transport: c.transport,
			Spec:      c.spec,
		})
	}
	return infos
}
