package app

import "syscall"

// hardenProcess makes the host's memory and environment unreadable to its
// tools. The tools run as the same user, and a same-user process can read
// /proc/PID/environ of a dumpable one: that is where the keys the tools
// were not given would be. Core dumps go too, which would hold them.
func hardenProcess() error {
	const prSetDumpable = 4 // PR_SET_DUMPABLE
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		return errno
	}
	return nil
}
