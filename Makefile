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
TEST_DEPS  = busybox-static python3 util-linux iproute2 gzip bzip2 xz-utils appc-spec openssl gpg gpg-agent
DEPS       = $(BUILD_DEPS) $(TEST_DEPS)

.PHONY: all deps configure build check check-unit-asan demo bench install clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do \
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

demo: build
	@echo '$$ rkt version'; $(BUILD)/bin/rkt version
	@echo; echo '$$ rkt plugins list'; $(BUILD)/bin/rkt plugins list

bench: build
	@for b in bench/*.sh; do [ -x "$$b" ] || continue; echo "== $$b"; RKT=$(BUILD)/bin/rkt "$$b"; done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
