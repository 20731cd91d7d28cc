package toolkit

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// ErrNotRegular is returned for a directory, FIFO, device or socket where a
// regular file is needed.
var ErrNotRegular = errors.New("not a regular file")

// A Root is the directory a file tool works in once a [Policy] has allowed
// a path: every method takes a name relative to it and stays inside it.
//
// When the policy has roots, a Root is an [os.Root]: a symbolic link is
// followed only while it stays inside, checked at the moment of each
// operation, so a link swapped in after the policy's check cannot lead out.
// When the policy confines nothing, a Root is a directory name and its
// methods are the plain os functions, following every link.
//
// Names use the OS separator or slashes, "." being the root itself; a
// name must not be absolute nor climb out with "..". A Root is safe for
// concurrent use; its owner closes it.
type Root struct {
	dir  string   // absolute, clean
	root *os.Root // nil: not confined
}

// Open checks path against the policy, as [Policy.Resolve] does, and
// opens the root that holds it. It returns that root and the name of the
// path in it, to use from then on. The caller closes the Root.
//
// With roots, the name is that of the resolved path, so a symbolic link
// that stays inside any root, even one given as an absolute path or
// leading into another root, leads where it did; what happens to the path
// afterwards cannot take an operation on the Root outside it. Without
// roots, the Root is the unconfined file system, "/", and the name that of
// the cleaned path in it.
func (p *Policy) Open(path string) (*Root, string, error) {
	real, err := p.Resolve(path)
	if err != nil {
		return nil, "", err
	}
	dirs := p.Roots()
	if !p.Confined() {
		dirs = []string{string(filepath.Separator)}
	}
	for _, dir := range dirs {
		if !within(dir, real) {
			continue
		}
		name, err := filepath.Rel(dir, real)
		if err != nil {
			return nil, "", fmt.Errorf("resolving %s: %w", path, err)
		}
		if !p.Confined() {
			return &Root{dir: dir}, name, nil
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, "", fmt.Errorf("opening the root %s: %w", dir, err)
		}
		return &Root{dir: dir, root: root}, name, nil
	}
	return nil, "", fmt.Errorf("%w: %s; allowed roots: %s", ErrOutsideRoots, path, strings.Join(p.roots, ", "))
}

// Close releases the root. A Root of an unconfined policy holds nothing.
func (r *Root) Close() error {
	if r.root == nil {
		return nil
	}
	return r.root.Close()
}

// Dir returns the absolute path of the root.
func (r *Root) Dir() string { return r.dir }

// Path returns the absolute path of name, for messages and results.
func (r *Root) Path(name string) string { return filepath.Join(r.dir, name) }

// Confined reports whether the root keeps its operations inside it.
func (r *Root) Confined() bool { return r.root != nil }

// Open opens name for reading.
func (r *Root) Open(name string) (*os.File, error) {
	return r.OpenFile(name, os.O_RDONLY, 0)
}

// OpenFile opens name as [os.OpenFile] does.
func (r *Root) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	if r.root == nil {
		return os.OpenFile(r.Path(name), flag, perm)
	}
	return r.root.OpenFile(name, flag, perm)
}

// Stat describes name, following symbolic links.
func (r *Root) Stat(name string) (fs.FileInfo, error) {
	if r.root == nil {
		return os.Stat(r.Path(name))
	}
	return r.root.Stat(name)
}

// Lstat describes name without following a symbolic link there.
func (r *Root) Lstat(name string) (fs.FileInfo, error) {
	if r.root == nil {
		return os.Lstat(r.Path(name))
	}
	return r.root.Lstat(name)
}

// Readlink returns the target of the symbolic link name.
func (r *Root) Readlink(name string) (string, error) {
	if r.root == nil {
		return os.Readlink(r.Path(name))
	}
	return r.root.Readlink(name)
}

// Rename renames oldname to newname, replacing what newname names if it
// is not a directory.
func (r *Root) Rename(oldname, newname string) error {
	if r.root == nil {
		return os.Rename(r.Path(oldname), r.Path(newname))
	}
	return r.root.Rename(oldname, newname)
}

// Remove removes the file or empty directory name.
func (r *Root) Remove(name string) error {
	if r.root == nil {
		return os.Remove(r.Path(name))
	}
	return r.root.Remove(name)
}

// ReadDir returns the entries of the directory name sorted by name. Their
// Type is what the directory holds, read with it; their Info describes,
// through r, what bears the entry's name when Info is called.
func (r *Root) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if r.root != nil {
		// A directory opened in an os.Root examines every entry as it
		// reads it, one lstat each, which a walk would pay for every file
		// it passes. A copy of the descriptor, as a plain file, reads the
		// same directory with the types it holds; Info, when asked, goes
		// through r.
		fd, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_DUPFD_CLOEXEC, 0)
		if errno != 0 {
			return nil, &fs.PathError{Op: "readdir", Path: r.Path(name), Err: errno}
		}
		f.Close()
		f = os.NewFile(fd, r.Path(name))
	}
	entries, err := f.ReadDir(-1)
	if r.root != nil {
		for i, e := range entries {
			entries[i] = rootEntry{DirEntry: e, root: r, name: filepath.Join(name, e.Name())}
		}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// A rootEntry is an entry that [Root.ReadDir] read, described through its
// Root rather than by path.
type rootEntry struct {
	fs.DirEntry
	root *Root
	name string
}

func (e rootEntry) Info() (fs.FileInfo, error) { return e.root.Lstat(e.name) }

// Sub opens the directory name as a Root of its own, which the caller
// closes. Its operations, one path step each for a name in it, cost less
// than those of r on the same files deeper down, and it stays inside r.
func (r *Root) Sub(name string) (*Root, error) {
	if r.root == nil {
		info, err := os.Stat(r.Path(name))
		if err == nil && !info.IsDir() {
			err = &fs.PathError{Op: "open", Path: r.Path(name), Err: syscall.ENOTDIR}
		}
		if err != nil {
			return nil, err
		}
		return &Root{dir: r.Path(name)}, nil
	}
	sub, err := r.root.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	return &Root{dir: r.Path(name), root: sub}, nil
}

// FS returns the root as an [fs.FS], for [fs.WalkDir] and [fs.ReadDir].
// Its names are slash-separated, "." being the root.
func (r *Root) FS() fs.FS {
	if r.root == nil {
		return os.DirFS(r.dir)
	}
	return r.root.FS()
}

// OpenRegular opens name for reading if it is a regular file, following
// symbolic links (inside the root). It checks name before opening it, so
// that no device is opened, and the file it opened, so that no FIFO or
// device swapped in between is read: reading a FIFO would block beyond
// the reach of any context, and a device such as /dev/zero never ends.
//
// For a name that exists but is not a regular file, the error wraps
// [ErrNotRegular] and the FileInfo describes what name is, so that the
// caller can say what to do instead.
func (r *Root) OpenRegular(name string) (*os.File, fs.FileInfo, error) {
	info, err := r.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, info, notRegular(r.Path(name), info)
	}
	// O_NONBLOCK: opening a FIFO swapped in after the Stat does not wait
	// for a writer. It has no effect on a regular file.
	f, err := r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		return nil, info, notRegular(r.Path(name), info)
	}
	return f, info, nil
}

func notRegular(path string, info fs.FileInfo) error {
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, info.Mode().Type())}
}

// ReadFile reads the regular file name whole, as [Root.OpenRegular] opens
// it.
func (r *Root) ReadFile(name string) ([]byte, error) {
	f, _, err := r.OpenRegular(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Follow resolves the symbolic links of name, for a link found in a walk:
// it returns the name in r of the file the link leads to, and its
// information. A link that leads out of r, even into another root of the
// policy, gives an error wrapping [ErrOutsideRoots].
//
// The links are resolved by path, which a hostile process can race, but
// the name is then used through r, so the race can only lead elsewhere
// inside it.
func (r *Root) Follow(name string) (string, fs.FileInfo, error) {
	real, err := filepath.EvalSymlinks(r.Path(name))
	if err != nil {
		return "", nil, err
	}
	if !within(r.dir, real) {
		return "", nil, fmt.Errorf("%w: %s leads to %s", ErrOutsideRoots, r.Path(name), real)
	}
	rel, err := filepath.Rel(r.dir, real)
	if err != nil {
		return "", nil, err
	}
	info, err := r.Stat(rel)
	if err != nil {
		return "", nil, err
	}
	return rel, info, nil
}
