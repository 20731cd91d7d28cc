package plantuml

import (
	"context"
	"flag"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the plantuml MCP server binary with the process's arguments
// and returns its exit code.
func Main() int {
	var server string
	return toolkit.Main(toolkit.Program{
		Name:         "plantuml",
		Summary:      "turns PlantUML code into the URL of the rendered diagram, checking its syntax first (tools: plantuml, decode_plantuml_url)",
		Instructions: "Use plantuml to show a diagram as a link or image; fix the reported line when it answers a syntax error.",
		Example:      toolkit.Example{Tool: "plantuml", Arguments: `{"plantuml_code":"@startuml\nBob -> Alice : hello\n@enduml"}`},
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&server, "server", DefaultServer, "the PlantUML server the URLs point to (`URL`)")
		},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			p := FindProcessor(cfg.Getenv)
			if p == nil {
				cfg.Logger.Warn("no local PlantUML (install Debian's plantuml or set PLANTUML_JAR): diagrams are not checked before their URL is made")
			}
			Register(s, &Options{Server: server, Processor: p})
			return nil
		},
	})
}

// CheckMain runs the plantuml_check MCP server binary with the process's
// arguments and returns its exit code.
func CheckMain() int {
	return toolkit.Main(toolkit.Program{
		Name:         "plantuml_check",
		Summary:      "validates PlantUML files with the PlantUML processor (tool: plantuml_check)",
		Instructions: "plantuml_check validates a .puml file and gives the line of the first error.",
		Example:      toolkit.Example{Tool: "plantuml_check", Arguments: `{"file_path":"/path/to/diagram.puml"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			p := FindProcessor(cfg.Getenv)
			if p == nil {
				cfg.Logger.Warn("no local PlantUML (install Debian's plantuml or set PLANTUML_JAR): every check will fail")
			}
			RegisterCheck(s, &CheckOptions{Policy: cfg.Policy, Processor: p})
			return nil
		},
	})
}
