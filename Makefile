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

.PHONY: all build tools servers run test vet fuzz bench conformance conformance-world examples ui-test clean

all: build

## build: every binary into bin/
build:
	$(GO) build -o $(BIN)/ ./host/cmd/... ./tools/cmd/... ./harness/cmd/... ./fakes/cmd/...

## tools: the MCP tool servers into bin/ (as the original's make tools)
tools:
	$(GO) build -o $(BIN)/ ./tools/cmd/...

## servers: the host's binaries into bin/ (as the original's make servers)
servers:
	$(GO) build -o $(BIN)/ ./host/cmd/...

## run: openaiserver on http://127.0.0.1:$(PORT) with $(TOOLS)
run: build
	$(BIN)/openaiserver -port $(PORT) $(RUNFLAGS) -mcpservers "$(foreach t,$(TOOLS),$(BIN)/$(t);)"

## test: every test, offline
test:
	$(GO) test ./...

vet:
	$(GO) vet ./...

## fuzz: each fuzz target for a short while (FUZZTIME). A count (Nx)
## rather than a duration: Go 1.26's fuzz coordinator can fail a target at a
## duration's deadline with "context deadline exceeded" (go.dev/issue/75804).
FUZZTIME ?= 100000x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzPolicyResolve$$' -fuzztime $(FUZZTIME) ./tools/toolkit
	$(GO) test -run '^$$' -fuzz '^FuzzEdit$$' -fuzztime $(FUZZTIME) ./tools/edit
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeChat$$' -fuzztime $(FUZZTIME) ./host/server

## bench: the benchmarks, with time and allocations per operation; the
## GrepTool and GlobTool ones compare with ripgrep and find, sub-agent's
## its memory store with its Redis one (ripgrep and redis-server installed
## here when missing and possible)
bench:
	@command -v rg >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; } || echo "ripgrep is not installed: the GrepTool benchmark skips its comparison"
	@command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } || echo "redis-server is not installed: the sub-agent benchmarks skip the Redis store"
	$(GO) test -run '^$$' -bench . -benchmem ./...

## conformance: the official MCP conformance suite (npm, pinned in
## harness/conformance) against the everything fixture server and the host's
## MCP client; installs Node 22 and the suite into build/ on first use
conformance:
	GO=$(GO) harness/conformance/run.sh

## conformance-world: mcptest check against real servers, the four
## TypeScript reference servers and go-sdk examples (pinned in
## harness/conformance/world, installed into build/world from npm and the Go
## module proxy), each report compared with the reviewed findings in
## harness/conformance/world/expect; UPDATE=1 rewrites those, for review;
## ONLY=PATTERN picks servers by name
conformance-world:
	$(GO) build -o build/world/bin/ ./harness/conformance/world
	GO=$(GO) build/world/bin/world $(if $(filter 1,$(UPDATE)),-update) $(if $(ONLY),-only '$(ONLY)')

## examples: the examples module (examples/), gomcptest used from outside
## through its public API only, as its users do; prints how many
## non-standard packages an OpenAI-only test (fakeopenai, vcr) builds
examples:
	cd examples && $(GO) test ./...
	@cd examples && echo "packages outside the standard library in the OpenAI-only test of examples/openaiapp: $$($(GO) list -deps -test -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./openaiapp | grep -vc '^github.com/owulveryck/gomcptest/examples')"

## ui-test: the AgentFlow browser tests (host/ui/e2e) in headless Debian
## chromium, installed when missing (as root), against openaiserver on the
## offline model; screenshots at phone and desktop sizes go to
## build/ui-screenshots/
CHROMIUM ?= /usr/bin/chromium
ui-test:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null; } || \
		{ echo "make ui-test needs Chromium at $(CHROMIUM): apt-get install chromium"; exit 1; }
	cd host/ui/e2e && npm ci --no-audit --no-fund --loglevel=error
	$(GO) build -o build/ui-e2e/bin/ ./host/cmd/openaiserver ./tools/cmd/sleep ./tools/cmd/View ./tools/cmd/LS
	cd host/ui/e2e && AGENTFLOW_BIN=$(CURDIR)/build/ui-e2e/bin SCREENSHOT_DIR=$(CURDIR)/build/ui-screenshots \
		CHROMIUM=$(CHROMIUM) node --test --test-concurrency=1 ui.test.js

## record: record the Vertex AI cassettes (recordings/vertex) again against the
## real service: needs GCP_PROJECT (GCP_REGION, default us-central1) and
## Application Default Credentials; RECORD_STANDIN=1 records them against
## fakegemini instead, marked as synthesized
record:
ifeq ($(RECORD_STANDIN),1)
	GOMCPTEST_VCR=record GOMCPTEST_VCR_STANDIN=fakegemini $(GO) test -count=1 -run 'TestCassettes' ./host/replaytest/... ./tools/imagen/...
else
	@if [ -z "$$GCP_PROJECT$$GOOGLE_CLOUD_PROJECT" ]; then \
		echo "make record needs a Vertex AI project: export GCP_PROJECT=my-project (and GCP_REGION, default us-central1)"; \
		echo "and Application Default Credentials: gcloud auth application-default login"; \
		echo "(RECORD_STANDIN=1 records against fakegemini instead, without credentials)"; exit 2; fi
	@if [ -z "$$GOOGLE_APPLICATION_CREDENTIALS" ] && [ ! -f "$$HOME/.config/gcloud/application_default_credentials.json" ]; then \
		echo "note: no GOOGLE_APPLICATION_CREDENTIALS nor gcloud ADC file; run gcloud auth application-default login unless on GCE/GKE"; fi
	GOMCPTEST_VCR=record GOMCPTEST_VCR_STANDIN= $(GO) test -count=1 -run 'TestCassettes' ./host/replaytest/... ./tools/imagen/...
	$(GO) test -count=1 ./host/replaytest/... ./tools/imagen/... ./testscripts/...
endif

clean:
	rm -rf $(BIN)
