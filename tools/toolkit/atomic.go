package toolkit

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// maxLinks is how many symbolic links a name may go through.
const maxLinks = 40

// WriteFileAtomic writes data to name so that a reader sees either the old
// content or the new, never a mix, and a failure leaves the old file as it
// was: it writes a temporary file in the same folder (a rename is atomic
// only within one file system), syncs it, sets its mode to perm and renames
// it over name. Every step goes through r, so nothing outside it is
// written whatever is swapped in meanwhile.
//
// A symlink at name is followed, inside r: the file it points to is
// replaced and the link stays a link. What name leads to must be a regular
// file or nothing: anything else (a directory, a FIFO, a device, a socket)
// is refused, with an error wrapping [ErrNotRegular], rather than replaced
// by a regular file. The folder must exist. perm is applied as given, with
// no umask, so that an edit keeps a file's mode exactly.
func (r *Root) WriteFileAtomic(name string, data []byte, perm fs.FileMode) (err error) {
	path := r.Path(name)
	name, err = r.followLinks(name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if info, err := r.Lstat(name); err == nil && !info.Mode().IsRegular() {
		if info.IsDir() {
			return fmt.Errorf("writing %s: is a directory", path)
		}
		return fmt.Errorf("writing %s: %w", path, notRegular(r.Path(name), info))
	}
	tmp, tmpName, err := r.createTemp(name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			r.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := r.Rename(tmpName, name); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// followLinks returns the name that name leads to when its last element is
// a symbolic link, following the link's target as a name in r. A target
// outside r is an error: r would refuse to write there anyway.
func (r *Root) followLinks(name string) (string, error) {
	for range maxLinks {
		info, err := r.Lstat(name)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return name, nil // a file, or none yet: the name to write
		}
		target, err := r.Readlink(name)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(r.Path(filepath.Dir(name)), target)
		}
		target = filepath.Clean(target)
		if !within(r.dir, target) {
			return "", fmt.Errorf("%w: the symbolic link %s leads to %s", ErrOutsideRoots, r.Path(name), target)
		}
		if name, err = filepath.Rel(r.dir, target); err != nil {
			return "", err
		}
	}
	return "", errors.New("too many levels of symbolic links")
}

// createTemp creates a new file beside name, readable and writable by its
// owner only until its mode is set, and returns it with its name.
func (r *Root) createTemp(name string) (*os.File, string, error) {
	prefix := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp")
	for range 10000 { // as os.CreateTemp: a name taken that often is no accident
		tmpName := prefix + strconv.FormatUint(rand.Uint64(), 36)
		f, err := r.OpenFile(tmpName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, fs.ErrExist) {
			return f, tmpName, err
		}
	}
	return nil, "", fmt.Errorf("creating a temporary file beside %s: every name tried was taken", r.Path(name))
}
