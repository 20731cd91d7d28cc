package tooltest

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A SpecialFile is a path that is not a regular file, which a file tool
// must refuse rather than read (a FIFO would block, a device never end) or
// replace (a write would put a regular file in its place).
type SpecialFile struct {
	Kind string // "fifo", "socket", "device" or "directory"
	Path string
	Want string // what the tool's error must say
	mode fs.FileMode
}

// SpecialFiles makes one of each kind of SpecialFile in a new temporary
// directory. The device, a null device made with mknod, is left out where
// the test may not make one.
func SpecialFiles(tb testing.TB) []SpecialFile {
	tb.Helper()
	dir := tb.TempDir()
	var files []SpecialFile
	add := func(kind, want string, make func(path string) error) {
		path := filepath.Join(dir, kind)
		if err := make(path); err != nil {
			tb.Logf("no %s: %v", kind, err)
			return
		}
		info, err := os.Lstat(path)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, SpecialFile{Kind: kind, Path: path, Want: want, mode: info.Mode().Type()})
	}
	add("fifo", "not a regular file", func(path string) error { return syscall.Mkfifo(path, 0o644) })
	add("socket", "not a regular file", func(path string) error {
		l, err := net.Listen("unix", path)
		if err != nil {
			return err
		}
		l.(*net.UnixListener).SetUnlinkOnClose(false)
		return l.Close()
	})
	add("device", "not a regular file", func(path string) error {
		return syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3) // major 1, minor 3: /dev/null
	})
	add("directory", "is a directory", func(path string) error { return os.Mkdir(path, 0o755) })
	if len(files) == 0 {
		tb.Fatal(errors.New("no special file could be made"))
	}
	return files
}

// Unchanged fails the test if f is no longer what it was, or a directory
// is no longer empty.
func (f SpecialFile) Unchanged(tb testing.TB) {
	tb.Helper()
	info, err := os.Lstat(f.Path)
	if err != nil {
		tb.Fatalf("%s %s: %v", f.Kind, f.Path, err)
	}
	if got := info.Mode().Type(); got != f.mode {
		tb.Errorf("%s %s is now of type %v, want it left as it was (%v)", f.Kind, f.Path, got, f.mode)
	}
	if f.mode.IsDir() {
		if entries, err := os.ReadDir(f.Path); err != nil || len(entries) > 0 {
			tb.Errorf("directory %s now holds %v (%v), want it left empty", f.Path, entries, err)
		}
	}
}
