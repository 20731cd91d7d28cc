// Package testscripts runs gomcptest's end-to-end scripts: txtar files in
// testdata/ that drive the real binaries (openaiserver, the tools, the fakes,
// mcptest) like a terminal session.
//
// Every binary is exposed to the scripts under its own name through
// testscript.Main, and the commands of harness/scriptcmd (freeport,
// waitport, chat, mcp, fake; help lists them) are available too. Run one script with
//
//	go test ./testscripts -run TestScripts/NAME
//
// and keep its work folder with -testwork.
package testscripts
