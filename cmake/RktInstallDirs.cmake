# The install layout (docs/install.md). Include after GNUInstallDirs.
#
# rkt finds its internal modules and plugins relative to its own binary, never through an
# absolute path compiled in: <dir of rkt>/../<RKT_PKGLIBDIR>/rkt-*.so and
# <dir of rkt>/../<RKT_PKGLIBDIR>/plugins/<kind>-<name>.so. So an installed tree works under any
# prefix and DESTDIR, and the build tree (build/bin/rkt, build/<RKT_PKGLIBDIR>/...) works the
# same way without installing.
#
#   RKT_PKGLIBDIR          <libdir>/rkt relative to the prefix, e.g. lib/x86_64-linux-gnu/rkt
#                          with Debian's multiarch libdir (`make` passes it). Override with
#                          -DRKT_PKGLIBDIR=...; it must not be rkt's configuration directory.
#   RKT_PLUGIN_SUBDIR      <RKT_PKGLIBDIR>/plugins
#   RKT_PLUGIN_OUTPUT_DIR  the same directories in the build tree
#   RKT_MODULE_OUTPUT_DIR
#   RKT_INSTALL_{SYSTEMDUNITDIR,TMPFILESDIR,SYSUSERSDIR,BASHCOMPLETIONDIR}  relative to the prefix

if(NOT RKT_PKGLIBDIR)
  # GNUInstallDirs gives lib/<triplet> only for the /usr prefix: a plain `cmake` build (default
  # prefix /usr/local) would otherwise lay out lib/rkt, which cannot be packaged for /usr. The
  # multiarch directory for every prefix keeps a developer's tree and `make`'s the same.
  if(CMAKE_INSTALL_LIBDIR STREQUAL "lib" AND CMAKE_LIBRARY_ARCHITECTURE)
    set(RKT_PKGLIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}/rkt")
  else()
    set(RKT_PKGLIBDIR "${CMAKE_INSTALL_LIBDIR}/rkt")
  endif()
endif()
# `rkt` computes <dir of rkt>/../<dir>: both must be relative, the binary one level deep.
if(IS_ABSOLUTE "${RKT_PKGLIBDIR}" OR RKT_PKGLIBDIR MATCHES "(^|/)\\.\\.(/|$)")
  message(FATAL_ERROR "RKT_PKGLIBDIR (${RKT_PKGLIBDIR}) must be a path below the install prefix: "
                      "rkt finds its plugins relative to its own binary")
endif()
if(NOT CMAKE_INSTALL_BINDIR MATCHES "^[^/]+$" OR CMAKE_INSTALL_BINDIR STREQUAL "..")
  message(FATAL_ERROR "CMAKE_INSTALL_BINDIR (${CMAKE_INSTALL_BINDIR}) must be one directory "
                      "below the install prefix (bin): rkt finds its plugins at <bindir>/../")
endif()
# rkt reads its vendor configuration from /usr/lib/rkt (--system-config): code does not go there.
if(RKT_PKGLIBDIR STREQUAL "lib/rkt" AND CMAKE_INSTALL_PREFIX MATCHES "^/(usr/?)?$")
  message(FATAL_ERROR "plugins would be installed in ${CMAKE_INSTALL_PREFIX}/lib/rkt, rkt's "
                      "system configuration directory: use a multiarch libdir "
                      "(-DCMAKE_INSTALL_LIBDIR=lib/<triplet>, as `make` does) or set RKT_PKGLIBDIR")
endif()

set(RKT_PLUGIN_SUBDIR "${RKT_PKGLIBDIR}/plugins")
set(RKT_MODULE_OUTPUT_DIR "${CMAKE_BINARY_DIR}/${RKT_PKGLIBDIR}")
set(RKT_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/${RKT_PLUGIN_SUBDIR}")

# Scripts written for the first layout name build/lib/rkt; with a multiarch libdir it is a link.
if(NOT RKT_PKGLIBDIR STREQUAL "lib/rkt")
  set(legacy "${CMAKE_BINARY_DIR}/lib/rkt")
  if(IS_DIRECTORY "${legacy}" AND NOT IS_SYMLINK "${legacy}")
    message(STATUS "Removing ${legacy}, built for the lib/rkt layout")
    file(REMOVE_RECURSE "${legacy}")
  endif()
  file(MAKE_DIRECTORY "${RKT_MODULE_OUTPUT_DIR}")
  file(RELATIVE_PATH target "${CMAKE_BINARY_DIR}/lib" "${RKT_MODULE_OUTPUT_DIR}")
  file(REMOVE "${legacy}")
  file(CREATE_LINK "${target}" "${legacy}" SYMBOLIC)
endif()

# Files systemd reads: relative to the prefix (systemd also reads /usr/local/lib/...). The
# Debian rules move units to /lib/systemd/system, where Debian 12 wants them.
set(RKT_INSTALL_SYSTEMDUNITDIR "lib/systemd/system" CACHE STRING "systemd units (below the prefix)")
set(RKT_INSTALL_TMPFILESDIR "lib/tmpfiles.d" CACHE STRING "tmpfiles.d files (below the prefix)")
set(RKT_INSTALL_SYSUSERSDIR "lib/sysusers.d" CACHE STRING "sysusers.d files (below the prefix)")
set(RKT_INSTALL_BASHCOMPLETIONDIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
    CACHE STRING "bash completion scripts (below the prefix)")

# Installing a tree configured for /usr/local under --prefix /usr must not put code into
# /usr/lib/rkt either: checked when installing, for every component (CMake >= 3.21).
if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.21)
  set(every_component ALL_COMPONENTS)
endif()
install(CODE "
  get_filename_component(_rkt_pkglibdir \"\${CMAKE_INSTALL_PREFIX}/${RKT_PKGLIBDIR}\" ABSOLUTE)
  if(_rkt_pkglibdir MATCHES \"^(/usr)?/lib/rkt$\")
    message(FATAL_ERROR \"refusing to install plugins into \${_rkt_pkglibdir}, rkt's system \"
      \"configuration directory: configure with a multiarch libdir \"
      \"(-DCMAKE_INSTALL_LIBDIR=lib/<triplet>, as make does) or set RKT_PKGLIBDIR\")
  endif()" ${every_component})
