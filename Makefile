# jcredit — make help lists the targets.
SHELL := /bin/bash
GO    ?= go
BIN   := $(CURDIR)/bin
BUILD := $(CURDIR)/build
# cgo on: go-ethereum's libsecp256k1 path is ~3x faster than pure Go.
export CGO_ENABLED ?= 1

BUF_VERSION           := v1.47.2
PROTOC_GEN_GO_VERSION := v1.36.12
BUF           := $(BIN)/buf
PROTOC_GEN_GO := $(BIN)/protoc-gen-go

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/jcredit/jcredit/app.Version=$(VERSION)

.PHONY: help build install test test-race lint proto-gen proto-lint proto-check \
        localnet-start localnet-stop e2e e2e-short docker-build testnet-up testnet-down testnet-smoke \
        bench bench-flat bench-verifier bench-net bench-net-short tools clean wasm test-browser fuzz

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# The web page's proof verifier: node/proof compiled to WebAssembly, and Go's
# JS glue, embedded by node/api (neither is committed). force32bit: the
# ed25519 library has no 64-bit limb code for wasm.
WEB := node/api/web
wasm: ## build the in-page proof verifier (node/api/web/verifier.wasm)
	GOOS=js GOARCH=wasm CGO_ENABLED=0 $(GO) build -tags force32bit -trimpath -ldflags '-s -w' -o $(WEB)/verifier.wasm ./node/api/wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(WEB)/wasm_exec.js 2>/dev/null || cp "$$($(GO) env GOROOT)/misc/wasm/wasm_exec.js" $(WEB)/wasm_exec.js

build: wasm ## build ./build/jcreditd
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BUILD)/jcreditd ./node/cmd/jcreditd

install: wasm ## install jcreditd into GOBIN
	$(GO) install -ldflags '$(LDFLAGS)' ./node/cmd/jcreditd

test: wasm ## run the unit, scenario and short multi-node tests
	$(GO) test -count=1 -timeout 30m ./...

test-browser: wasm ## headless-Chromium test of the web page (needs: apt-get install -y chromium)
	$(GO) test -count=1 -tags browser -timeout 10m -run TestBrowser -v ./node/api/

FUZZTIME ?= 1m
fuzz: ## run every fuzz target for FUZZTIME each (default 1m; scripts/fuzz.sh finds them); crashers go to testdata/fuzz
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

test-race: wasm ## run the tests under the race detector
	$(GO) test -count=1 -race -timeout 45m ./...

lint: ## go vet and gofmt
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

$(BUF):
	GOBIN=$(BIN) $(GO) install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)

$(PROTOC_GEN_GO):
	GOBIN=$(BIN) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

tools: $(BUF) $(PROTOC_GEN_GO) ## install the pinned proto tools into ./bin

proto-gen: tools ## regenerate the Go code beside each .proto file
	cd proto && PATH=$(BIN):$$PATH $(BUF) generate

proto-lint: tools ## lint the .proto files
	cd proto && $(BUF) lint

proto-check: tools ## fail if the committed generated code is stale
	@tmp=$$(mktemp -d); \
	cd proto && PATH=$(BIN):$$PATH $(BUF) generate -o $$tmp && \
	for f in $$(cd $$tmp && find . -name '*.pb.go'); do \
	  cmp -s $$tmp/$$f $$f || { echo "stale generated code: proto/$$f (run make proto-gen)"; exit 1; }; \
	done; \
	for f in $$(find . -name '*.pb.go'); do \
	  [ -f $$tmp/$$f ] || { echo "generated file without a .proto: proto/$$f"; exit 1; }; \
	done; rm -rf $$tmp; echo "generated code is up to date"

clean: ## remove build outputs
	rm -rf $(BUILD)

LOCALNET_DIR ?= $(CURDIR)/.localnet

localnet-start: build ## start (or resume) the local network on 127.0.0.2-6: 4 validators + a provider node; data in ./.localnet
	LOCALNET_DIR=$(LOCALNET_DIR) JCREDITD_BIN=$(BUILD)/jcreditd scripts/localnet-start.sh

localnet-stop: ## stop the local network (its data stays; localnet-start resumes it)
	LOCALNET_DIR=$(LOCALNET_DIR) scripts/localnet-stop.sh

e2e: build ## full end-to-end fault suite under load (root; netns); figures in build/e2e-figures-full.md
	JCREDITD_BIN=$(BUILD)/jcreditd scripts/e2e.sh full

e2e-short: build ## the short e2e suite that CI runs (~6 min, with the upgrade from v0.2.0)
	JCREDITD_BIN=$(BUILD)/jcreditd scripts/e2e.sh short

bench: ## benchmarks beside their baselines (medians and ratios), then bench-flat and a brief bench-net; BENCH_COUNT, BENCH_TIME, JCREDIT_FLAT_SKIP=1
	scripts/bench.sh

bench-flat: ## transfer cost at 10^3 vs 10^6 ranges and over one sender's history (~3 min); build/bench/flat-summary.txt; BENCH_FLAT_COUNT, BENCH_FLAT_TIME
	scripts/bench-flat.sh

bench-verifier: ## the in-page verifier: raw and gzipped size, cold verification (fresh Node.js process) beside the CLI's; VERIFIER_BASE=<git ref> measures that ref's too
	scripts/verifier-bench.sh

bench-net: ## committed tx/s and latency of 4 local validators, jcredit beside CometBFT's kvstore, interleaved rounds (~15 min); build/bench/net-summary.md
	scripts/bench-net.sh full

bench-net-short: ## the bench-net harness end to end on a tiny load (CI; <1 min; figures mean nothing)
	scripts/bench-net.sh short

docker-build: ## build the jcredit/jcreditd:local image FROM scratch around a static host-built binary
	scripts/docker-testnet.sh build

testnet-up: ## run the network under docker compose (testnet/docker), one container per node
	scripts/docker-testnet.sh up

testnet-down: ## stop the docker compose network (its data stays in testnet/artifacts/compose)
	scripts/docker-testnet.sh down

testnet-smoke: ## build the image, run the compose network on fresh data, cut/heal a validator, compare chains, tear down (~1.5 min; needs docker)
	$(GO) test -tags docker -count=1 -timeout 6m -v ./testnet/docker/
