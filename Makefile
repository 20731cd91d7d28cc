# gomcptest: `make run` starts openaiserver with the tools on the offline
# model (or Gemini, when credentials are set); `make test` runs every test
# offline.

GO      ?= go
BIN     := bin
# The MCP servers `make run` gives the host.
TOOLS   ?= sleep Bash Edit Replace View LS GlobTool GrepTool
PORT    ?= 8080
# Extra flags for openaiserver, e.g. RUNFLAGS=-withAllEvents
RUNFLAGS ?=

.PHONY: all build run test vet fuzz bench clean

all: build

## build: every binary into bin/
build:
	$(GO) build -o $(BIN)/ ./host/cmd/... ./tools/cmd/... ./harness/cmd/... ./fakes/cmd/...

## run: openaiserver on http://127.0.0.1:$(PORT) with $(TOOLS)
run: build
	$(BIN)/openaiserver -port $(PORT) $(RUNFLAGS) -mcpservers "$(foreach t,$(TOOLS),$(BIN)/$(t);)"

## test: every test, offline
test:
	$(GO) test ./...

vet:
	$(GO) vet ./...

## fuzz: each fuzz target for a short while (FUZZTIME)
FUZZTIME ?= 10s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzPolicyResolve$$' -fuzztime $(FUZZTIME) ./tools/internal/toolkit
	$(GO) test -run '^$$' -fuzz '^FuzzEdit$$' -fuzztime $(FUZZTIME) ./tools/edit

## bench: the benchmarks, with time and allocations per operation; the
## GrepTool and GlobTool ones compare with ripgrep and find (installed here
## when missing and possible)
bench:
	@command -v rg >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; } || echo "ripgrep is not installed: the GrepTool benchmark skips its comparison"
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN)
