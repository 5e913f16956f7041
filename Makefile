# promptgate: `make demo` shows it working, `make test` proves it. Both set the machine up first.
SWIFT ?= swift
FORMAT_PATHS = Sources Tests Benchmarks Package.swift

# make install [PREFIX=/usr/local] [DESTDIR=<staging folder>], as GNU make users expect.
PREFIX ?= /usr/local
DESTDIR ?=
# The release build, as promptgate ships: the Swift runtime linked in statically, which halves its
# start-up. It has a scratch path of its own, shared by install, dist and bench so they build it
# once, and free of .build's lock, which a running `swift test` holds.
# libgit2 is linked in too where its static archives are there (scripts/static-libgit2.sh says
# why and how; elsewhere the binary loads libgit2.so as before).
# The compiler asks for the metadata of a concrete generic type (a Set<String>, say) by calling its
# accessor, not by handing the runtime the type's mangled name: from a name, the runtime demangles
# it and finds each conformance the type needs by scanning all 5,000 of the binary's, a tenth of a
# one-file diff (docs/benchmarks.md, session 10).
RELEASE_PATH = .build-release
STATIC_LIBGIT2 = $(CURDIR)/$(RELEASE_PATH)/static-libgit2
RELEASE_BUILD = PKG_CONFIG_PATH="$(STATIC_LIBGIT2)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH}" \
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(RELEASE_PATH) \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	$$(scripts/static-libgit2.sh $(STATIC_LIBGIT2))
RELEASE_BIN = $(RELEASE_PATH)/release
# What install copies and dist packs, laid out as under PREFIX.
STAGE = $(RELEASE_PATH)/stage
DIST = dist
# The files shipped: the binary, its man page, and its completions where bash-completion, zsh and
# fish look for them.
SHIPPED_DATA = share/man/man1/promptgate.1 share/bash-completion/completions/promptgate \
	share/zsh/site-functions/_promptgate share/fish/vendor_completions.d/promptgate.fish
SHIPPED = bin/promptgate $(SHIPPED_DATA)
# The man page's date and the tarball's file times: the last commit's, so that building one commit
# twice packs the same man page and the same file list.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.PHONY: all setup setup-build setup-tests build demo test lint coverage leaks bench clean gates \
	stage install uninstall dist

all: build

setup:
	@scripts/setup.sh

setup-build:
	@scripts/setup.sh --for-build

setup-tests:
	@scripts/setup.sh --for-tests

build: setup
	$(SWIFT) build

demo: build
	@scripts/demo.sh

# The whole suite once; beside it the lint and the leak check over the tests that cross a C
# boundary (libgit2, libssh2 and mbedTLS through it, libyaml, BoringSSL, libxml2):
# scripts/leak-check.sh lists them and why. The three run at once because the tests spend much of
# their time waiting on the promptgate, git and ssh-keygen processes they start (at most one per
# core in one test run): together they keep two cores busy. Their output is shown in that order.
# The plain run's CLI tests run the release build, which ships (and runs each command about four
# times faster than the debug build); a plain `swift test` runs the debug build beside the tests.
test: setup-tests
	$(SWIFT) build --build-tests
	$(RELEASE_BUILD) --product promptgate
	@scripts/leak-check.sh --build-only
	@scripts/leak-check.sh --skip-build > .build-asan/leak-check.out 2>&1 & leaks=$$!; \
	$(MAKE) --no-print-directory lint > .build/lint.out 2>&1 & lint=$$!; \
	PROMPTGATE_TEST_PROGRAM="$(CURDIR)/$(RELEASE_BIN)/promptgate" $(SWIFT) test --skip-build; tests=$$?; \
	wait $$lint; linted=$$?; cat .build/lint.out; \
	wait $$leaks; leaked=$$?; cat .build-asan/leak-check.out; \
	[ $$tests -eq 0 ] && [ $$linted -eq 0 ] && [ $$leaked -eq 0 ]

lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

# Line coverage of Sources/ by the suite (InstallTests aside: it builds the release binary), the
# promptgate processes the CLI tests start included: each writes its profile where
# LLVM_PROFILE_FILE says. In .build-cov, so the instrumented build leaves .build alone. The
# toolchain's own llvm-profdata reads what its compiler wrote.
COVERAGE_PATH = .build-cov
LLVM_TOOLS = $(dir $(realpath $(shell command -v $(SWIFT))))
coverage: setup-tests
	$(SWIFT) build --build-tests --enable-code-coverage --scratch-path $(COVERAGE_PATH)
	rm -f $(COVERAGE_PATH)/debug/codecov/*.profraw
	$(SWIFT) test --skip-build --enable-code-coverage --scratch-path $(COVERAGE_PATH) --skip InstallTests
	$(LLVM_TOOLS)llvm-profdata merge -sparse $(COVERAGE_PATH)/debug/codecov/*.profraw \
		-o $(COVERAGE_PATH)/coverage.profdata
	$(LLVM_TOOLS)llvm-cov report $(COVERAGE_PATH)/debug/promptgatePackageTests.xctest \
		-object $(COVERAGE_PATH)/debug/promptgate -instr-profile=$(COVERAGE_PATH)/coverage.profdata \
		-ignore-filename-regex='(\.build[^/]*|Tests|Benchmarks)/' | sed -n '1,2p;$$p'

leaks: setup-tests
	$(SWIFT) build
	@scripts/leak-check.sh

# The benchmark times the binary make install installs.
bench: setup
	$(RELEASE_BUILD) --product promptgate
	$(RELEASE_BUILD) --product promptgate-bench
	$(RELEASE_BIN)/promptgate-bench --promptgate $(RELEASE_BIN)/promptgate

# The man page comes from generate-manual, the tool behind swift-argument-parser's generate-manual
# plugin, run on the binary that ships. The plugin itself (`swift package plugin generate-manual`)
# works offline here, but builds the whole package again without --static-swift-stdlib, which
# `swift package` cannot pass on, so every module is compiled again both ways (4 minutes each on
# 2 cores). generate-manual leaves the blank lines between a discussion's later paragraphs as
# they are; mdoc warns about blank lines and means .Pp. The completions are the binary's own.
stage: setup-build
	$(RELEASE_BUILD) --product promptgate
	$(RELEASE_BUILD) --product generate-manual
	@rm -rf $(STAGE)
	@mkdir -p $(STAGE)/bin $(addprefix $(STAGE)/,$(dir $(SHIPPED_DATA)))
	cp $(RELEASE_BIN)/promptgate $(STAGE)/bin/promptgate
	$(RELEASE_BIN)/generate-manual $(STAGE)/bin/promptgate --output-directory $(STAGE)/share/man/man1 \
		--date "$$(date -u -d @$(SOURCE_DATE_EPOCH) +%F)"
	sed -i 's/^$$/.Pp/' $(STAGE)/share/man/man1/promptgate.1
	$(STAGE)/bin/promptgate --generate-completion-script bash > $(STAGE)/share/bash-completion/completions/promptgate
	$(STAGE)/bin/promptgate --generate-completion-script zsh > $(STAGE)/share/zsh/site-functions/_promptgate
	$(STAGE)/bin/promptgate --generate-completion-script fish > $(STAGE)/share/fish/vendor_completions.d/promptgate.fish

install: stage
	install -D -m 755 $(STAGE)/bin/promptgate "$(DESTDIR)$(PREFIX)/bin/promptgate"
	@for file in $(SHIPPED_DATA); do \
		echo "install -D -m 644 $(STAGE)/$$file $(DESTDIR)$(PREFIX)/$$file"; \
		install -D -m 644 "$(STAGE)/$$file" "$(DESTDIR)$(PREFIX)/$$file" || exit 1; \
	done

uninstall:
	rm -f $(addprefix "$(DESTDIR)$(PREFIX)/,$(addsuffix ",$(SHIPPED)))

# dist/promptgate-<version>-linux-<arch>.tar.gz holds one folder of that name laid out as under
# PREFIX; the .sha256 beside it is for `sha256sum -c`.
dist: stage
	@version="$$($(STAGE)/bin/promptgate --version)" && name="promptgate-$$version-linux-$$(uname -m)" && \
	mkdir -p $(DIST) && \
	tar -C $(RELEASE_PATH) --transform "s|^stage|$$name|" --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$(SOURCE_DATE_EPOCH) -cf - stage | gzip -n > "$(DIST)/$$name.tar.gz" && \
	(cd $(DIST) && sha256sum "$$name.tar.gz" > "$$name.tar.gz.sha256") && \
	echo "dist: $(DIST)/$$name.tar.gz, $(DIST)/$$name.tar.gz.sha256"

clean:
	rm -rf .build $(RELEASE_PATH) $(DIST) demo-repo bench-repos

gates:
	@scripts/embed-gates.sh
