package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServers checks the list against what installs them: each npm
// server is pinned in package.json, each Go one at a version, and each
// has an expectation file.
func TestServers(t *testing.T) {
	data, err := os.ReadFile("package.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct{ Dependencies map[string]string }
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range servers() {
		if seen[s.name] {
			t.Errorf("%s: listed twice", s.name)
		}
		seen[s.name] = true
		switch {
		case (s.npm == "") == (s.goPkg == ""):
			t.Errorf("%s: want exactly one of npm and goPkg", s.name)
		case s.npm != "" && manifest.Dependencies[s.npm] == "":
			t.Errorf("%s: npm package %s is not pinned in package.json", s.name, s.npm)
		case s.goPkg != "" && !strings.Contains(s.goPkg, "@v"):
			t.Errorf("%s: Go package %s has no version", s.name, s.goPkg)
		}
		if _, err := os.Stat(filepath.Join("expect", s.name+".txt")); err != nil {
			t.Errorf("%s: %v (make conformance-world UPDATE=1 writes it)", s.name, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join("expect", "*.txt"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".txt"); !seen[name] {
			t.Errorf("%s: no server %s in servers.go", f, name)
		}
	}
}
