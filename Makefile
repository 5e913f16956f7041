# promptgate: `make demo` shows it working, `make test` proves it. Both set the machine up first.
SWIFT ?= swift
FORMAT_PATHS = Sources Tests Benchmarks Package.swift

.PHONY: all setup setup-tests build demo test lint leaks bench clean gates

all: build

setup:
	@scripts/setup.sh

setup-tests:
	@scripts/setup.sh --for-tests

build: setup
	$(SWIFT) build

demo: build
	@scripts/demo.sh

test: setup-tests
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory lint
	@scripts/leak-check.sh

lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

leaks: setup-tests
	$(SWIFT) build
	@scripts/leak-check.sh

# The benchmark times the release build linked as promptgate ships: with the Swift runtime
# linked in statically, which halves its start-up.
bench: setup
	$(SWIFT) build -c release --static-swift-stdlib --product promptgate
	$(SWIFT) build -c release --static-swift-stdlib --product promptgate-bench
	.build/release/promptgate-bench

clean:
	rm -rf .build demo-repo bench-repos

gates:
	@scripts/embed-gates.sh
