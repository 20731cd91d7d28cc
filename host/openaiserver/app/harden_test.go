//go:build linux

package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/owulveryck/gomcptest/internal/syncbuf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostEnvironmentIsNotReadable runs a host with a secret in its
// environment and reads /proc/PID/environ as an unprivileged process of the
// same user would: the secret is not readable. (Root can still read it;
// SECURITY.md says so.)
func TestHostEnvironmentIsNotReadable(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run the reader as another, unprivileged, same-user pair")
	}
	const secret = "host-secret-4b1d"
	nobody := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	// The host runs as nobody too, from a copy nobody may execute.
	dir, err := os.MkdirTemp("", "harden")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	self, err := os.ReadFile(os.Args[0])
	require.NoError(t, err)
	bin := filepath.Join(dir, "openaiserver")
	require.NoError(t, os.WriteFile(bin, self, 0o755))

	cmd := exec.Command(bin, "-port", "0", "-host", "127.0.0.1")
	cmd.Env = []string{childEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + dir, "OPENAISERVER_API_KEYS=" + secret}
	cmd.SysProcAttr = nobody
	stderr := &syncbuf.Buffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "listening") }, 30*time.Second, 10*time.Millisecond, "%s", stderr)

	reader := exec.Command("cat", "/proc/"+strconv.Itoa(cmd.Process.Pid)+"/environ")
	reader.SysProcAttr = nobody
	out, err := reader.CombinedOutput()
	assert.Error(t, err, "a same-user process read the host's environment")
	assert.NotContains(t, string(out), secret)
}
