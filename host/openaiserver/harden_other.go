//go:build !linux

package openaiserver

// hardenProcess does nothing where there is no /proc/PID/environ to hide.
func hardenProcess() error { return nil }
