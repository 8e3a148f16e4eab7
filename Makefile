# Thin wrapper over CMake. The README's two commands are `sudo make demo` and `sudo make check`.
#
#   make deps    install every build and test dependency from Debian (idempotent)
#   make         configure + build (build/)
#   make check   deps + build + sanitizer build of the unit tests + ctest
#   make demo    build, then show what rkt does
#   make bench   run the side-by-side benchmarks in bench/
#   make install DESTDIR=... PREFIX=/usr

BUILD      ?= build
ASAN_BUILD ?= build-asan
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
CTEST_ARGS ?=

# Build dependencies (libraries + tools) and test dependencies (tools the tests drive).
BUILD_DEPS = build-essential cmake pkg-config clang-format \
	libboost-dev libboost-filesystem-dev libboost-system-dev \
	libpoco-dev libssl-dev libarchive-dev zlib1g-dev libsqlitecpp-dev libsqlite3-dev \
	libnl-3-dev libnl-route-3-dev libseccomp-dev libcppunit-dev libcli11-dev \
	librnp-dev libxml2-dev
TEST_DEPS  = busybox-static python3 python3-jsonschema util-linux iproute2 gzip bzip2 xz-utils appc-spec openssl gpg gpg-agent
BENCH_DEPS = crun
DEPS       = $(BUILD_DEPS) $(TEST_DEPS)

.PHONY: all deps bench-deps install-pkgs configure build check check-unit-asan demo bench install clean

all: build

deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(DEPS)"

bench-deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(DEPS) $(BENCH_DEPS)"

install-pkgs:
	@missing=$$(for p in $(PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all dependencies installed"; fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS)

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# CI builds with warnings as errors, and runs the unit tests a second time under ASan+UBSan.
check: deps
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) -DRKT_WERROR=ON $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)
	$(MAKE) --no-print-directory check-unit-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

check-unit-asan:
	cmake -S . -B $(ASAN_BUILD) -DRKT_SANITIZE=ON -DRKT_UNIT_TESTS_ONLY=ON -DRKT_WERROR=ON \
	  -DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target rkt-unit-tests
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit $(CTEST_ARGS)

DEMO_DIR ?= /tmp/rkt-demo

# A real pod: a busybox ACI built from Debian's busybox-static, run with the fly stage1, in a
# private mount namespace and a scratch data directory.
demo: deps build
	@echo '$$ rkt version'; $(BUILD)/bin/rkt version
	@echo; echo '$$ rkt plugins list'; $(BUILD)/bin/rkt plugins list
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@tests/fixtures/make-busybox-aci.sh $(DEMO_DIR)/busybox.aci example.com/busybox 1.0.0 >/dev/null
	@cd $(DEMO_DIR) && unshare -m --propagation private sh -c '\
	  echo; echo "$$ rkt --insecure-options=image run ./busybox.aci --exec /bin/echo -- hello from a pod"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data --insecure-options=image run ./busybox.aci --exec /bin/echo -- hello from a pod; \
	  echo; echo "$$ rkt run example.com/busybox:1.0.0 --user=user --working-dir=/etc --exec /bin/sh -- -c '"'"'echo I am \$$(id -un) in \$$(pwd); exit 42'"'"'"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data run example.com/busybox:1.0.0 --user=user --working-dir=/etc --exec /bin/sh -- -c "echo I am \$$(id -un) in \$$(pwd); exit 42"; \
	  echo "(exit status $$?)"'
	@rm -rf $(DEMO_DIR)

bench: bench-deps build
	@for b in bench/*.sh; do [ -x "$$b" ] || continue; echo "== $$b"; RKT=$(BUILD)/bin/rkt "$$b"; done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
