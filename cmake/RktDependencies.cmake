# The third-party libraries the core and the in-tree plugins use, all from Debian packages
# (`make deps` installs them). Each becomes an imported target named after the library.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem system)
find_package(Poco REQUIRED COMPONENTS Foundation JSON Net NetSSL Util Crypto)
find_package(OpenSSL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(CPPUNIT IMPORTED_TARGET cppunit)
# OpenPGP signature verification (core/src/trust): librnp, in-process.
pkg_check_modules(LIBRNP REQUIRED IMPORTED_TARGET librnp)
# Seccomp filters of the nspawn pod supervisor, which is linked statically: libseccomp.a.
pkg_check_modules(LIBSECCOMP REQUIRED libseccomp)
find_library(LIBSECCOMP_STATIC_LIBRARY NAMES libseccomp.a HINTS ${LIBSECCOMP_LIBRARY_DIRS}
  REQUIRED)
# Pod masquerade and port forwarding as nftables rules (support/netfilter; docs/networking.md).
pkg_check_modules(LIBNFTABLES REQUIRED IMPORTED_TARGET libnftables)
# HTML parsing for appc discovery pages (support/discovery).
find_package(LibXml2 REQUIRED)
