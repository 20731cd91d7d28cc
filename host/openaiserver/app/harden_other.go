//go:build !linux

package app

// hardenProcess does nothing where there is no /proc/PID/environ to hide.
func hardenProcess() error { return nil }
