package cli

import (
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// config is everything a session is started with.
type config struct {
	mcpServers string
	toolsPath  string // MCP_TOOLS_PATH: where bare command names are found
	toolEnv    []string
	// server, when set, is the OpenAI-compatible API to use instead of
	// the in-process engine.
	server, apiKey string
	model          string
	// prompt is the system prompt when promptSet; "" turns it off.
	prompt      string
	promptSet   bool
	temperature *float64
	maxTokens   *int
	history     string // file to resume from and save to
	verbose     bool
	// noninteractive reads one prompt from stdin; oneShot is -p's prompt.
	noninteractive bool
	oneShot        string
	oneShotSet     bool
	format         string // text or json, for -p and -noninteractive
	approve        []string
	contextBytes   int
	maxSteps       int
	toolTimeout    time.Duration
	home           string // for ~/.cligcp.json and the input history
	backend        backend.Config
}

// fileConfig is ~/.cligcp.json: the settings of the flags of the same
// meaning, below the flags and the environment.
type fileConfig struct {
	Server      string   `json:"server"`
	Model       string   `json:"model"`
	Prompt      *string  `json:"prompt"`
	Temperature *float64 `json:"temperature"`
	MaxTokens   *int     `json:"max_tokens"`
	// Tools are MCP servers, one spec each, as in -mcpservers.
	Tools      []string `json:"tools"`
	MCPServers string   `json:"mcpservers"`
	ToolsPath  string   `json:"tools_path"`
	History    string   `json:"history"`
	Approve    []string `json:"approve"`
	Verbose    bool     `json:"verbose"`
	// ContextBytes is -context-bytes.
	ContextBytes int `json:"context_bytes"`
}

// configFile is the name of the settings file in the home folder.
const configFile = ".cligcp.json"

// defaultContextBytes bounds the conversation sent each turn: about 100k
// tokens, below every current Gemini and GPT model's window.
const defaultContextBytes = 400_000

//go:embed usage.txt
var usageText string

// parseConfig reads the flags, the environment and ~/.cligcp.json, in
// that order of precedence. It returns flag.ErrHelp after printing the
// help.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(getenv(n)); v != "" {
				return v
			}
		}
		return ""
	}
	cfg := config{home: getenv("HOME"), format: "text", contextBytes: defaultContextBytes}
	var err error
	if cfg.backend, err = backend.FromEnv(getenv); err != nil {
		return cfg, err
	}
	file, err := readFileConfig(cfg.home)
	if err != nil {
		return cfg, err
	}

	// Defaults, then the file, then the environment; the flags, parsed
	// last, win.
	cfg.server = pick(env("OPENAI_API_URL"), file.Server)
	cfg.apiKey = env("OPENAI_API_KEY")
	cfg.model = pick(env("DEFAULT_MODEL"), file.Model)
	if file.Prompt != nil {
		cfg.prompt, cfg.promptSet = *file.Prompt, true
	}
	if v := env("SYSTEM_PROMPT", "SYSTEM_INSTRUCTION"); v != "" {
		cfg.prompt, cfg.promptSet = v, true
	}
	cfg.temperature, cfg.maxTokens = file.Temperature, file.MaxTokens
	if v := env("MODEL_TEMPERATURE"); v != "" {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return cfg, fmt.Errorf("MODEL_TEMPERATURE=%q is not a number", v)
		}
		cfg.temperature = &t
	}
	if v := env("MAX_OUTPUT_TOKENS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return cfg, fmt.Errorf("MAX_OUTPUT_TOKENS=%q is not a whole number", v)
		}
		cfg.maxTokens = &n
	}
	cfg.mcpServers = strings.Trim(strings.Join(append(file.Tools, file.MCPServers), ";"), ";")
	cfg.toolsPath = pick(env("MCP_TOOLS_PATH"), file.ToolsPath)
	cfg.history = file.History
	cfg.approve = file.Approve
	cfg.verbose = file.Verbose
	if file.ContextBytes > 0 {
		cfg.contextBytes = file.ContextBytes
	}

	flags := flag.NewFlagSet("cliGCP", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintf(stderr, usageText, backend.Environment, strings.Join(toolbox.BaseEnv(), " "))
		flags.PrintDefaults()
	}
	flags.StringVar(&cfg.mcpServers, "mcpservers", cfg.mcpServers, `MCP servers to run, separated by ";": "bin/LS;bin/View -root /src;K=V cmd 'quoted arg';http://host/mcp"`)
	flags.StringVar(&cfg.server, "server", cfg.server, "`URL` of an OpenAI-compatible API (openaiserver, OpenAI, Ollama) instead of the in-process engine")
	flags.StringVar(&cfg.model, "model", cfg.model, "model to use (default: the first of GEMINI_MODELS, or the server's first)")
	flags.Func("prompt", "system prompt (\"\": none; default: the working directory, the OS and the date)", func(s string) error {
		cfg.prompt, cfg.promptSet = s, true
		return nil
	})
	flags.Func("temp", "sampling temperature, such as 0.2 (default: the model's)", func(s string) error {
		t, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return errors.New("not a number")
		}
		cfg.temperature = &t
		return nil
	})
	flags.Func("maxtokens", "limit of tokens in one answer (default: the model's)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return errors.New("not a positive whole number")
		}
		cfg.maxTokens = &n
		return nil
	})
	flags.StringVar(&cfg.history, "history", cfg.history, "resume the conversation from `FILE` (JSON) when it exists, and save it there after each turn")
	flags.BoolVar(&cfg.verbose, "verbose", cfg.verbose, "log the model requests and answers and the tool traffic to stderr")
	flags.BoolVar(&cfg.noninteractive, "noninteractive", false, "read one prompt from stdin, print the answer, exit (1 on a model or tool error)")
	flags.Func("p", "run this `prompt`, print the answer, exit (1 on a model or tool error)", func(s string) error {
		cfg.oneShot, cfg.oneShotSet = s, true
		return nil
	})
	flags.StringVar(&cfg.format, "format", cfg.format, "output of -p and -noninteractive: text, or json (the answer, the tool calls and the usage)")
	approve := flags.String("approve", strings.Join(cfg.approve, ","), "comma list of tools (or servers) to ask about before each call: y, n or always")
	flags.IntVar(&cfg.contextBytes, "context-bytes", cfg.contextBytes, "bytes of conversation sent each turn; older turns past it are left out, with a note")
	flags.IntVar(&cfg.maxSteps, "max-steps", agent.DefaultMaxSteps, "model turns one prompt may take")
	flags.DurationVar(&cfg.toolTimeout, "tool-timeout", 15*time.Minute, "limit of one tool call")
	toolEnv := flags.String("tool-env", env("TOOL_ENV"), "comma list of variables passed to every MCP server (see Tool environment)")
	if err := flags.Parse(args); err != nil {
		return cfg, err
	}
	if flags.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q: give a prompt with -p, see -help", flags.Args())
	}
	cfg.approve, cfg.toolEnv = list(*approve), list(*toolEnv)
	switch cfg.format {
	case "text":
	case "json":
		if !cfg.oneShotSet && !cfg.noninteractive {
			return cfg, errors.New("-format json is for -p and -noninteractive")
		}
	default:
		return cfg, fmt.Errorf("-format %q: use text or json", cfg.format)
	}
	if cfg.oneShotSet && cfg.noninteractive {
		return cfg, errors.New("-p and -noninteractive both give the prompt: use one")
	}
	if cfg.contextBytes < 1 || cfg.maxSteps < 1 || cfg.toolTimeout <= 0 {
		return cfg, errors.New("-context-bytes, -max-steps and -tool-timeout must be positive")
	}
	if cfg.server == "" && cfg.model == "" && len(cfg.backend.Models) > 0 {
		cfg.model = cfg.backend.Models[0]
	}
	return cfg, nil
}

// readFileConfig reads home/.cligcp.json; a missing file is no settings.
func readFileConfig(home string) (fileConfig, error) {
	var fc fileConfig
	if home == "" {
		return fc, nil
	}
	name := filepath.Join(home, configFile)
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fc, nil
	}
	if err != nil {
		return fc, fmt.Errorf("reading settings: %w", err)
	}
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(&fc); err != nil {
		return fc, fmt.Errorf("reading settings %s: %w (see Settings file in -help)", name, err)
	}
	return fc, nil
}

func pick(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// list splits a comma list; blanks around names do not count.
func list(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}
