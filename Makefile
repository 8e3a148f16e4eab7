# Thin wrapper over CMake, for Debian 12 as root. Without make, `./make.sh TARGET` installs it
# first. The README's two commands are `./make.sh demo` and `./make.sh check`.
#
#   make demo     install the build dependencies, busybox-static and python3; build rkt and its
#                 plugins (not the tests); run a busybox pod
#   make check    install the test dependencies too; build everything (only the tests are new
#                 after `make demo`); unit tests again under ASan+UBSan; every ctest suite,
#                 the Debian packages included
#   make          configure and build everything into build/
#   make install  DESTDIR=... PREFIX=... (default /usr/local): relocatable install, binaries
#                 stripped with their debug symbols in PREFIX/lib/debug/.build-id (STRIP=no keeps
#                 them)
#   make deb      Debian packages of build/ into build/deb/ (packaging/debian), lintian-checked
#   make bench    side-by-side benchmarks (bench/)
#   make deps-demo | deps | deps-deb   only install the dependencies of demo / everything / deb

BUILD      ?= build
ASAN_BUILD ?= build-asan
PREFIX     ?= /usr/local
DESTDIR    ?=
JOBS       ?= $(shell nproc)
# Debian 12 builds warning-free: the demo and CI builds are the same build, so that `make check`
# after `make demo` compiles only the tests. WERROR=OFF for another compiler.
WERROR     ?= ON
STRIP      ?= yes
CMAKE_ARGS ?=
CTEST_ARGS ?=

# What compiling rkt needs.
BUILD_DEPS = build-essential cmake pkg-config \
	libboost-dev libboost-filesystem-dev libboost-system-dev libcli11-dev \
	libpoco-dev libssl-dev libarchive-dev zlib1g-dev libsqlitecpp-dev libsqlite3-dev \
	librnp-dev libxml2-dev libseccomp-dev libnftables-dev libnl-3-dev libnl-route-3-dev
# The demo image is built from Debian's busybox by a Python script (tests/fixtures).
DEMO_DEPS  = busybox-static python3 systemd-container
# What the tests drive or check with, the Debian packaging test included.
TEST_DEPS  = systemd-container libcppunit-dev clang-format python3-jsonschema util-linux iproute2 nftables gzip bzip2 \
	containernetworking-plugins iputils-ping \
	xz-utils appc-spec openssl gpg gpg-agent $(DEB_DEPS) mmdebstrap $(VM_DEPS) $(REGISTRY_DEPS)
# The docker fetcher's tests: a local registry, skopeo to push images to it, htpasswd for the
# registry's basic auth.
REGISTRY_DEPS = docker-registry skopeo apache2-utils
DEB_DEPS   = debhelper lintian
# The cgroup v2 tests' virtual machine (tests/vm): qemu with TCG, objcopy for the guest's files;
# its kernel is Debian's linux-image-amd64, downloaded and unpacked into build/vm, not installed.
VM_DEPS    = qemu-system-x86 binutils
BENCH_DEPS = crun valgrind iptables bc

# Debian's multiarch library directory: plugins go to lib/<triplet>/rkt (never /usr/lib/rkt, rkt's
# configuration directory), whatever PREFIX is installed to. Evaluated after deps installed dpkg-dev.
MULTIARCH  = $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
CONFIGURE_ARGS = -DRKT_WERROR=$(WERROR) \
	$(if $(MULTIARCH),-DCMAKE_INSTALL_LIBDIR=lib/$(MULTIARCH)) $(CMAKE_ARGS)

.PHONY: all deps deps-demo deps-deb bench-deps install-pkgs configure build runtime check \
	check-unit-asan demo deb bench install clean

all: build

deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(BUILD_DEPS) $(DEMO_DEPS) $(TEST_DEPS)"

deps-demo:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(BUILD_DEPS) $(DEMO_DEPS)"

deps-deb:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(BUILD_DEPS) $(DEB_DEPS)"

bench-deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(BUILD_DEPS) $(DEMO_DEPS) $(TEST_DEPS) $(BENCH_DEPS)"

install-pkgs:
	@missing=$$(for p in $(PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -z "$$missing" ]; then echo "dependencies: all installed"; \
	elif [ "$$(id -u)" -ne 0 ]; then \
	  echo "missing packages:" $$missing "(run as root to install them with apt-get)" >&2; exit 1; \
	else \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Always re-run: cheap when nothing changed, and the same arguments for every target, so no
# target rebuilds what another one built.
configure:
	cmake -S . -B $(BUILD) $(CONFIGURE_ARGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# rkt, its internal modules and plugins, man pages and completion: everything installed.
runtime: configure
	cmake --build $(BUILD) -j $(JOBS) --target rkt-runtime

# CI builds with warnings as errors, and runs the unit tests a second time under ASan+UBSan.
check: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory check-unit-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

check-unit-asan:
	cmake -S . -B $(ASAN_BUILD) -DRKT_SANITIZE=ON -DRKT_UNIT_TESTS_ONLY=ON \
	  -DCMAKE_BUILD_TYPE=Debug $(CONFIGURE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target rkt-unit-tests-all
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit $(CTEST_ARGS)

DEMO_DIR ?= /tmp/rkt-demo

# Real pods: a busybox ACI built from Debian's busybox-static, run with the default (nspawn)
# stage1 (a two-app isolated pod, its status and an app's log) and with fly, in a private mount
# namespace and a scratch data directory.
demo: deps-demo
	@$(MAKE) --no-print-directory runtime
	@echo '$$ rkt version'; $(BUILD)/bin/rkt version
	@echo; echo '$$ rkt plugins list'; $(BUILD)/bin/rkt plugins list
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@tests/fixtures/make-busybox-aci.sh $(DEMO_DIR)/busybox.aci example.com/busybox 1.0.0 >/dev/null
	@cd $(DEMO_DIR) && unshare -m --propagation private sh -c '\
	  echo; echo "$$ rkt --insecure-options=image run ./busybox.aci --exec /bin/echo -- hello from a pod"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data --insecure-options=image run ./busybox.aci --exec /bin/echo -- hello from a pod; \
	  echo; echo "$$ rkt run example.com/busybox:1.0.0 --user=user --working-dir=/etc --exec /bin/sh -- -c '"'"'echo I am \$$(id -un) in \$$(pwd); exit 42'"'"'"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data run example.com/busybox:1.0.0 --user=user --working-dir=/etc --exec /bin/sh -- -c "echo I am \$$(id -un) in \$$(pwd); exit 42"; \
	  echo "(exit status $$?)"; \
	  echo; echo "$$ rkt run --uuid-file-save=pod.uuid example.com/busybox:1.0.0 --name=web --exec /bin/sh -- -c '"'"'echo web on \$$(hostname), PID \$$\$$'"'"' --- example.com/busybox:1.0.0 --name=worker --exec /bin/sh -- -c '"'"'sleep 1; echo worker fails >&2; exit 5'"'"' ---"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data run --uuid-file-save=$(DEMO_DIR)/pod.uuid example.com/busybox:1.0.0 --name=web --exec /bin/sh -- -c "echo web on \$$(hostname), PID \$$\$$" --- example.com/busybox:1.0.0 --name=worker --exec /bin/sh -- -c "sleep 1; echo worker fails >&2; exit 5" ---; \
	  echo "(exit status $$?)"; \
	  echo; echo "$$ rkt status \$$(cat pod.uuid)"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data status $$(cat $(DEMO_DIR)/pod.uuid); \
	  echo; echo "$$ rkt logs --app=worker \$$(cat pod.uuid)"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data logs --app=worker $$(cat $(DEMO_DIR)/pod.uuid); \
	  echo; echo "$$ rkt run --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox:1.0.0 --exec /bin/sh -- -c '"'"'echo fly: PID \$$\$$'"'"'"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data run --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox:1.0.0 --exec /bin/sh -- -c "echo fly: PID \$$\$$"; \
	  $(CURDIR)/$(BUILD)/bin/rkt --dir=$(DEMO_DIR)/data gc --grace-period=0s >/dev/null 2>&1'
	@rm -rf $(DEMO_DIR)

# Packages of the build tree as it is configured: CMAKE_ARGS=-DRKT_PLUGIN_STAGE1_FLY=OFF drops
# rkt-stage1-fly. packaging/build-deb.sh says how; RKT_DEB_FRESH_BUILD=1 builds from source.
deb: deps-deb
	@$(MAKE) --no-print-directory runtime
	packaging/build-deb.sh $(BUILD) $(BUILD)/deb

bench: bench-deps
	@$(MAKE) --no-print-directory runtime
	@for b in bench/*.sh; do [ -x "$$b" ] || continue; echo "== $$b"; RKT=$(BUILD)/bin/rkt "$$b"; done

# The tree installed under any PREFIX finds its plugins relative to bin/rkt (docs/install.md).
install: runtime
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)
ifeq ($(STRIP),yes)
	DESTDIR=$(DESTDIR) packaging/split-debug.sh $(BUILD)/install_manifest.txt $(DESTDIR)$(PREFIX)/lib/debug
endif

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
