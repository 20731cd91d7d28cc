package tooltest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Secret is in the content of every file outside a [Trap]'s root, and in
// the name of one, so a tool's answer that holds it has leaked.
const Secret = "SECRET"

// A Trap is a tree for testing that a file tool confined to Root reaches
// nothing outside it, even while a hostile process swaps what lies inside
// for symbolic links that lead out, between the moment a tool checks a
// path and the moment it uses it:
//
//	Root/d/inside.txt   Dir, swapped for a link to Outside
//	Root/f.txt          File, swapped for a link to Outside/target.txt
//	Outside/target.txt  what the tool must never read or write
//	Outside/SECRET.txt  nor list
//
// Every file holds a line starting with "needle", so one search finds
// them all. The link targets hold no Secret in their names: an error that
// says where a link leads tells nothing the link does not.
type Trap struct {
	Root    string
	Outside string
	Dir     string
	File    string
}

// outsideFiles are Outside's entries, each holding secretText.
var outsideFiles = []string{"target.txt", Secret + ".txt"}

const secretText = "needle " + Secret + "\n"

// NewTrap builds a Trap in a new temporary directory, with every path
// free of symbolic links.
func NewTrap(tb testing.TB) *Trap {
	tb.Helper()
	tmp, err := filepath.EvalSymlinks(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tr := &Trap{Root: filepath.Join(tmp, "root"), Outside: filepath.Join(tmp, "outside")}
	tr.Dir, tr.File = filepath.Join(tr.Root, "d"), filepath.Join(tr.Root, "f.txt")
	for _, dir := range []string{tr.Dir, tr.Outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for _, path := range []string{filepath.Join(tr.Dir, "inside.txt"), tr.File} {
		if err := os.WriteFile(path, []byte("needle inside\n"), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	tr.writeOutside(tb)
	return tr
}

// Policy returns a policy confined to Root.
func (tr *Trap) Policy(tb testing.TB) *toolkit.Policy {
	tb.Helper()
	p, err := toolkit.NewPolicy([]string{tr.Root})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// Attack calls try n times while a goroutine swaps Dir and File for links
// to Outside and back as fast as it can, and fails the test, saying in how
// many of the n calls, if an answer try returned holds [Secret] or if
// anything under Outside changed (which it then restores). try gets the
// number of the call and returns the text of the tool's answer, error or
// not. When Attack returns, Dir and File are themselves again.
func (tr *Trap) Attack(tb testing.TB, n int, try func(i int) string) {
	tb.Helper()
	stop, done := make(chan struct{}), make(chan int)
	go func() {
		swaps := 0
		for {
			select {
			case <-stop:
				done <- swaps
				return
			default:
			}
			tr.swap(tr.Dir, tr.Outside)
			tr.swap(tr.File, filepath.Join(tr.Outside, outsideFiles[0]))
			tr.restore(tr.Dir)
			tr.restore(tr.File)
			swaps++
		}
	}()
	var read, wrote int
	for i := range n {
		if strings.Contains(try(i), Secret) {
			read++
		}
		if tr.outsideChanged(tb) {
			wrote++
		}
	}
	close(stop)
	swaps := <-done
	if swaps == 0 {
		tb.Fatalf("no swap happened during %d calls: the attack proved nothing", n)
	}
	tb.Logf("%d calls, %d swaps: %d answers held what is outside the root, %d calls changed it", n, swaps, read, wrote)
	if read > 0 || wrote > 0 {
		tb.Errorf("while entries were swapped for symlinks leading out of the root, %d of %d answers held what is outside it and %d of %d calls changed it", read, n, wrote, n)
	}
}

// swap puts a symbolic link to target where path is, keeping path aside.
// Errors are ignored: the tool under attack may have replaced an entry,
// and the next round puts things back.
func (tr *Trap) swap(path, target string) {
	os.Rename(path, path+".real")
	os.Symlink(target, path+".link")
	os.Rename(path+".link", path)
}

// restore puts path back where the link was.
func (tr *Trap) restore(path string) {
	os.Remove(path) // a link; a directory could not be renamed over it
	os.Rename(path+".real", path)
}

// outsideChanged reports whether Outside holds anything but its files,
// unchanged, and if so puts it back.
func (tr *Trap) outsideChanged(tb testing.TB) bool {
	tb.Helper()
	entries, err := os.ReadDir(tr.Outside)
	if err != nil {
		tb.Fatal(err)
	}
	same := len(entries) == len(outsideFiles)
	for _, name := range outsideFiles {
		data, err := os.ReadFile(filepath.Join(tr.Outside, name))
		same = same && err == nil && string(data) == secretText
	}
	if same {
		return false
	}
	for _, e := range entries {
		os.RemoveAll(filepath.Join(tr.Outside, e.Name()))
	}
	tr.writeOutside(tb)
	return true
}

func (tr *Trap) writeOutside(tb testing.TB) {
	tb.Helper()
	for _, name := range outsideFiles {
		if err := os.WriteFile(filepath.Join(tr.Outside, name), []byte(secretText), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
