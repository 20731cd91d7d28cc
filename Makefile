# gomcptest: `make run` starts openaiserver with the tools on the offline
# model (or Gemini, when credentials are set); `make test` runs every test
# offline.

GO      ?= go
BIN     := bin
# The MCP servers `make run` gives the host.
TOOLS   ?= sleep
PORT    ?= 8080
# Extra flags for openaiserver, e.g. RUNFLAGS=-withAllEvents
RUNFLAGS ?=

.PHONY: all build run test vet bench clean

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

## bench: the benchmarks, with time and allocations per operation
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN)
