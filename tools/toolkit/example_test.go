package toolkit_test

import (
	"fmt"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

func ExampleTruncate() {
	fmt.Println(toolkit.Truncate("line 1\nline 2\nline 3\n", 7, "call again with offset=7 for the rest"))
	// Output:
	// line 1
	// [output truncated: showed the first 7 of 21 characters; call again with offset=7 for the rest]
}

func ExamplePolicy_Resolve() {
	p, err := toolkit.NewPolicy(nil) // no -root: no confinement
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Resolve("/var/log/../tmp/notes.txt"))
	fmt.Println(p.Resolve("notes.txt"))
	// Output:
	// /var/tmp/notes.txt <nil>
	//  path is relative: "notes.txt"; give an absolute path, starting with /
}
