# pipe — thin wrapper over meson. `make run` and `make test` install what is missing first (Debian 12).
BUILD ?= build
PIPE  := $(BUILD)/pipe
SUDO  := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian's interpreter: the python3-yaml / python3-jsonschema packages install for it.
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)

# Build and test dependencies, all Debian 12 packages (README: "Dependencies" says why each is here).
BUILD_PKGS := g++ meson ninja-build pkg-config libyaml-cpp-dev librdkafka-dev libsimdjson-dev libcli11-dev \
              doctest-dev libfmt-dev libre2-dev libboost-dev libcpp-httplib-dev libpq-dev libmariadb-dev \
              libcurl4-openssl-dev libhowardhinnant-date-dev libmimalloc-dev zlib1g-dev libssl-dev
# The database servers are started by the tests themselves (tests/support/databases.py), never as services:
# tests/support/install_without_services.sh installs with a policy-rc.d that forbids starting them.
TEST_PKGS  := python3 python3-yaml python3-jsonschema kcat jq tmux postgresql-15 postgresql-15-wal2json mariadb-server \
              mariadb-client openssl python3-elasticsearch rsyslog rsyslog-gnutls

.PHONY: all deps test-deps build run test conformance bench docs format tidy clean release deb deb-deps \
        image image-deps check-packaging check-sanitizers check-tsan check-asan fuzz

all: build

deps:
	@missing=$$(for p in $(BUILD_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing build packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

test-deps: deps
	@missing=$$(for p in $(TEST_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing test packages:" $$missing; \
	  $(SUDO) sh tests/support/install_without_services.sh $$missing; fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	$(PIPE) run pipelines/quickstart.yaml

test: test-deps build
	$(PYTHON) tests/run_all.py --build $(BUILD)

conformance: build
	$(PYTHON) tests/run_all.py --build $(BUILD) --only conformance

# Sanitizer builds (README: "Tests and benchmarks"), each in its own folder and building only what its run needs:
# ThreadSanitizer over the batch queue, acknowledgement, runtime and Kafka tests (thread_tests: those layers
# only); AddressSanitizer with UndefinedBehaviorSanitizer over the unit tests and the ksqlDB conformance cases.
# -O1 keeps the builds short and the stacks readable; any report fails the run (halt_on_error). Suppressions,
# for third-party libraries only, are in tests/sanitizers/ with the reason for each.
TSAN_BUILD ?= build-tsan
ASAN_BUILD ?= build-asan
SANITIZER_SETUP := -Dbuildtype=debug -Doptimization=1 -Db_lundef=false
TSAN_RUN := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/sanitizers/tsan.supp
ASAN_RUN := ASAN_OPTIONS=halt_on_error=1:detect_stack_use_after_return=1 \
            LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
check-sanitizers: check-tsan check-asan

check-tsan: deps
	[ -f $(TSAN_BUILD)/build.ninja ] || meson setup $(TSAN_BUILD) $(SANITIZER_SETUP) -Db_sanitize=thread
	ninja -C $(TSAN_BUILD) thread_tests
	$(TSAN_RUN) $(TSAN_BUILD)/thread_tests --no-intro=true

check-asan: test-deps
	[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) $(SANITIZER_SETUP) -Db_sanitize=address,undefined
	ninja -C $(ASAN_BUILD) unit_tests pipe
	$(ASAN_RUN) $(PYTHON) tests/run_all.py --build $(ASAN_BUILD) --only unit
	$(ASAN_RUN) $(PYTHON) tests/run_all.py --build $(ASAN_BUILD) --only conformance

# The release build: optimised, no assertions, in its own folder; benchmarks and packages use it. The shipped
# binary is stripped, its symbols kept in pipe.debug beside it (gdb finds them through the debuglink). LTO: the
# stripped binary is 3.4 MB instead of 5.6 MB, file -> filter -> file as fast (README: "Deploy"). -Ddebug=true
# (-g) at release optimisation: without it pipe.debug holds no DWARF and gdb shows no lines (compressed: 43 MB, not
# 118). -Dbuildtype, not --buildtype: meson 1.0 applies the long form after -Ddebug and turns debug off again.
RELEASE_BUILD ?= build-release
RELEASE_DIST  := $(RELEASE_BUILD)/dist
RELEASE_OPTIONS := -Dbuildtype=release -Ddebug=true -Db_ndebug=true -Db_lto=true
release: deps
	[ -f $(RELEASE_BUILD)/build.ninja ] || meson setup $(RELEASE_BUILD) $(RELEASE_OPTIONS)
	meson configure $(RELEASE_BUILD) $(RELEASE_OPTIONS)  # a folder set up before keeps up with these options
	ninja -C $(RELEASE_BUILD) pipe
	mkdir -p $(RELEASE_DIST)
	objcopy --only-keep-debug --compress-debug-sections=zlib $(RELEASE_BUILD)/pipe $(RELEASE_DIST)/pipe.debug
	cd $(RELEASE_DIST) && objcopy --strip-all --add-gnu-debuglink=pipe.debug ../pipe pipe
	@ls -l $(RELEASE_DIST)/pipe $(RELEASE_DIST)/pipe.debug

# Benchmarks need npm for the DuckDB peer (@duckdb/node-api); machines here ship Node.js with npm.
# rsyslog is the syslog source's peer (bench/syslog), installed without starting its service.
BENCH_PKGS := rsyslog
bench: test-deps release
	@command -v npm >/dev/null || { echo "make bench needs npm (Node.js) for the DuckDB peer"; exit 1; }
	@missing=$$(for p in $(BENCH_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) sh tests/support/install_without_services.sh $$missing; fi
	bash bench/run.sh $(RELEASE_BUILD)

# The Debian package, built with dpkg-deb from packaging/debian/ (README: "Deploy").
DEB_PKGS := dpkg-dev fakeroot help2man lintian binutils
deb-deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing packaging tools:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

deb: deb-deps release
	rm -f $(RELEASE_DIST)/pipe_*_amd64.deb
	bash packaging/debian/build-deb.sh $(RELEASE_DIST)/pipe $(RELEASE_DIST)
	lintian --fail-on error $(RELEASE_DIST)/pipe_*_amd64.deb

# The container image without a registry: buildah from scratch (README: "Deploy"), committed as pipe:<version> in
# root's vfs storage and saved as build-release/dist/pipe_<version>_amd64.oci.tar. podman: the image test runs the
# image with it where the machine allows.
IMAGE_PKGS := buildah podman ca-certificates tzdata
image-deps:
	@missing=$$(for p in $(IMAGE_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing image tools:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

image: image-deps release
	$(SUDO) bash packaging/container/build-offline-image.sh $(RELEASE_DIST)/pipe $(RELEASE_DIST)

# The packaging tests: the package installs, runs and removes cleanly (as root: dpkg -i); the offline image holds
# what it should and runs (pipe version, the quickstart as user 10001); the Kubernetes manifests validate against
# the API's schemas (npm's kubernetes-models, installed into the release build folder).
check-packaging: deb image
	$(SUDO) $(PYTHON) tests/packaging/test_deb.py $(RELEASE_DIST)
	$(SUDO) $(PYTHON) tests/packaging/test_image.py $(RELEASE_DIST)
	@command -v npm >/dev/null || { echo "make check-packaging needs npm (Node.js) for kubernetes-models"; exit 1; }
	$(PYTHON) tests/packaging/test_kubernetes.py $(RELEASE_DIST)/pipe $(RELEASE_BUILD)/npm

# Fuzzing (README: "Fuzzing"): libFuzzer harnesses built by clang with AddressSanitizer and UBSan in their own
# folder, each run for FUZZ_SECONDS from its seeds in tests/fuzz/corpus/. `make fuzz FUZZ=sql` runs one. New corpus
# entries stay in $(FUZZ_BUILD)/corpus/; a crash is written to $(FUZZ_BUILD)/crashes/<name>/ and fails the target.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := pipeline_loader sql json_decoder csv_decoder lines_decoder condition bulk_response syslog \
                  pgoutput binlog_rows
FUZZ ?= $(FUZZ_HARNESSES)
FUZZ_OPTIONS := -Dfuzz=true -Db_sanitize=address,undefined -Dwerror=false -Dbuildtype=debugoptimized
fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz needs clang (Debian: clang libclang-rt-14-dev)"; exit 1; }
	[ -f $(FUZZ_BUILD)/build.ninja ] || CXX=clang++ meson setup $(FUZZ_BUILD) $(FUZZ_OPTIONS)
	ninja -C $(FUZZ_BUILD) $(addprefix tests/fuzz/fuzz_,$(FUZZ))
	bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ)

docs: build
	$(PIPE) docs --schema > schemas/pipeline.schema.json
	$(PYTHON) tests/support/update_readme_reference.py $(PIPE)

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

# clang-tidy (14) with the checks of .clang-tidy over every file of src/ the build compiles, on every core; a
# finding fails. The build's flags are gcc's: clang is told to pass over the warning options it does not know.
tidy: build
	run-clang-tidy -p $(BUILD) -quiet -j $$(nproc) -extra-arg=-Wno-unknown-warning-option '$(CURDIR)/src/'

clean:
	rm -rf $(BUILD)
