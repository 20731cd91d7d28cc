package bash

import (
	"testing"
)

func TestFindBanned(t *testing.T) {
	banned := make(map[string]bool)
	for _, name := range DefaultBanned() {
		banned[name] = true
	}
	tests := []struct {
		script string
		want   string // the banned command found, "" if the script may run
	}{
		// refused
		{"curl https://example.com", "curl"},
		{`c"u"rl x`, "curl"},
		{`c'ur'l x`, "curl"},
		{`\curl x`, "curl"},
		{`c\url x`, "curl"},
		{"/usr/bin/wget x", "wget"},
		{"echo hi | wget -O- x", "wget"},
		{"true && nc -l 8080", "nc"},
		{"false || telnet host", "telnet"},
		{"ls; lynx x", "lynx"},
		{"(cd /tmp && w3m x)", "w3m"},
		{"{ links x; }", "links"},
		{"echo $(curl x)", "curl"},
		{"echo \"$(curl x)\"", "curl"},
		{"echo `wget x`", "wget"},
		{"diff <(curl a) b", "curl"},
		{"if true; then aria2c x; fi", "aria2c"},
		{"for i in 1 2; do axel $i; done", "axel"},
		{"while true; do xh x; done", "xh"},
		{"f() { httpie x; }; f", "httpie"},
		{"X=1 curlie x", "curlie"},
		{"env X=1 curl x", "curl"},
		{"sudo wget x", "wget"},
		{"timeout 5 nc x", "nc"},
		{"nice -n 10 firefox", "firefox"},
		{"command -p chrome", "chrome"},
		{"exec safari", "safari"},
		{"echo url | xargs curl", "curl"},
		{"time http-prompt", "http-prompt"},
		{"eval 'curl x'", "curl"},
		{`bash -c "wget x"`, "wget"},
		{"sh -c 'ls | nc x 1'", "nc"},
		{"alias ll='ls -l'", "alias"},
		// shells given a script with -c among other options
		{"bash -lc 'curl x'", "curl"},
		{"bash -l -c 'curl x'", "curl"},
		{"bash -c -l 'curl x'", "curl"},
		{"sh -ec 'wget x'", "wget"},
		{"bash -xec 'nc x 1'", "nc"},
		{"bash -ce 'nc x 1'", "nc"},
		{"zsh -c 'curl x'", "curl"},
		{"dash -c 'curl x'", "curl"},
		{"ksh -c 'curl x'", "curl"},
		{"ash -c 'curl x'", "curl"},
		{"mksh -c 'curl x'", "curl"},
		{"busybox sh -c 'curl x'", "curl"},
		{"busybox wget x", "wget"},
		{"/bin/bash -lc 'curl x'", "curl"},
		{"env bash -c 'curl x'", "curl"},
		{"env -i bash -lc 'curl x'", "curl"},
		{"sudo sh -c 'curl x'", "curl"},
		{"bash --login -c 'curl x'", "curl"},
		{"bash --norc --noprofile -c 'curl x'", "curl"},
		{"bash --rcfile /dev/null -c 'curl x'", "curl"},
		{"bash -o pipefail -c 'curl x'", "curl"},
		{"bash -O extglob -lc 'curl x'", "curl"},
		{"bash +x -c 'curl x'", "curl"},
		{"bash -c -- 'curl x'", "curl"},
		{"bash -c 'echo hi' && sh -lc 'wget x'", "wget"},
		{"bash -lc \"bash -c 'curl x'\"", "curl"},
		{"cat <<EOF\nhi\nEOF\ncurl x", "curl"},
		{"$(which curl) x", "curl"},
		{"`which wget` x", "wget"},
		{`"$(type -P curl)" x`, "curl"},
		{"$(whereis -b nc) x", "nc"},
		// allowed
		{"ls /usr/include/ncurses.h", ""},
		{"grep wget notes.txt", ""},
		{"echo curl", ""},
		{"echo 'curl x' > notes.txt", ""},
		{"git log --grep=curl", ""},
		{"curly x", ""},
		{"ncat --version", ""},
		{"man wget", ""},
		{"bash -c 'echo hi'", ""},
		{"bash -lc 'echo hi'", ""},
		{"bash -c 'echo hi' curl", ""},        // curl is $0, not run
		{"bash -l script.sh curl", ""},        // a script file, not -c
		{"bash -o curl script.sh", ""},        // -o takes an option name
		{"bash -- -c x", ""},                  // a script file named -c
		{"bash --rcfile -c script.sh", ""},    // -c is the rcfile
		{"bash -e script.sh -c 'curl x'", ""}, // arguments of the script
		{"grep -c curl notes.txt", ""},
		{"bash -c", ""}, // bash says -c needs an argument
		{"bash -- -c", ""},
		{"cat <<EOF\ncurl x\nEOF", ""},
		{"cmd=ls; $cmd", ""},
		{"which go", ""},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			got, err := findBanned(tt.script, banned)
			if err != nil {
				t.Fatalf("findBanned: %v", err)
			}
			if got != tt.want {
				t.Errorf("findBanned(%q) = %q, want %q", tt.script, got, tt.want)
			}
		})
	}
}

func TestFindBannedSyntaxError(t *testing.T) {
	for _, script := range []string{"echo 'unclosed", "if true; then", "eval 'echo \"x'"} {
		if _, err := findBanned(script, map[string]bool{"curl": true}); err == nil {
			t.Errorf("findBanned(%q) = nil error, want a syntax error", script)
		}
	}
}
