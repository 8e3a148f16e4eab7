// The trust store's layout rules (rkt-notes §4.5): prefix matching, masks, load order,
// fingerprint-named files, and storing keys.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include <algorithm>

#include "core/config/temp_tree.hpp"
#include "rkt/core/trust/keystore.hpp"
#include "trust_test_data.hpp"

using namespace rkt::trust;
using rkt::test::kOtherFingerprint;
using rkt::test::kSignerFingerprint;
using rkt::test::readTrustData;
using rkt::test::trustData;

namespace {

std::vector<std::string> fingerprints(const rkt::Result<std::vector<TrustedKeyFile>>& r) {
  std::vector<std::string> out;
  if (r) {
    for (const auto& f : *r) {
      out.push_back(f.key.fingerprint);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

class KeystoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KeystoreTest);
  CPPUNIT_TEST(emptyStoreHasNoKeys);
  CPPUNIT_TEST(rootKeysApplyToEveryImage);
  CPPUNIT_TEST(prefixKeysApplyByStringPrefix);
  CPPUNIT_TEST(zeroLengthFileMasksVendorKey);
  CPPUNIT_TEST(misnamedKeyFileIsRefused);
  CPPUNIT_TEST(checksSignaturesWithTheRightKeys);
  CPPUNIT_TEST(storesKeysByFingerprint);
  CPPUNIT_TEST(findsKeysForPrefixOrParents);
  CPPUNIT_TEST_SUITE_END();

 public:
  void emptyStoreHasNoKeys() {
    rkt::test::TempTree t;
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    auto keys = ks.keysFor("example.com/app");
    CPPUNIT_ASSERT(keys.ok());
    CPPUNIT_ASSERT(keys->empty());
    CPPUNIT_ASSERT(!ks.keysFor("Not A Name").ok());
  }

  void rootKeysApplyToEveryImage() {
    rkt::test::TempTree t;
    t.write(std::string("sys/trustedkeys/root.d/") + kSignerFingerprint,
            readTrustData("signer.asc"));
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/app")) ==
                   std::vector<std::string>{kSignerFingerprint});
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("other.org/x")) ==
                   std::vector<std::string>{kSignerFingerprint});
  }

  void prefixKeysApplyByStringPrefix() {
    rkt::test::TempTree t;
    t.write(std::string("local/trustedkeys/prefix.d/example.com/app/") + kSignerFingerprint,
            readTrustData("signer.asc"));
    t.write(std::string("local/trustedkeys/prefix.d/example.com/") + kOtherFingerprint,
            readTrustData("other.asc"));
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    std::vector<std::string> both{kOtherFingerprint, kSignerFingerprint};
    std::sort(both.begin(), both.end());
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/app")) == both);
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/app/sub")) == both);
    // rkt compares paths as strings: "example.com/app" is a prefix of "example.com/application".
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/application")) == both);
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/other")) ==
                   std::vector<std::string>{kOtherFingerprint});
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.org/app")).empty());
  }

  void zeroLengthFileMasksVendorKey() {
    rkt::test::TempTree t;
    t.write(std::string("sys/trustedkeys/prefix.d/example.com/") + kSignerFingerprint,
            readTrustData("signer.asc"));
    t.write(std::string("sys/trustedkeys/root.d/") + kOtherFingerprint, readTrustData("other.asc"));
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, fingerprints(ks.keysFor("example.com/app")).size());
    t.write(std::string("local/trustedkeys/prefix.d/example.com/") + kSignerFingerprint, "");
    t.write(std::string("local/trustedkeys/root.d/") + kOtherFingerprint, "");
    CPPUNIT_ASSERT(fingerprints(ks.keysFor("example.com/app")).empty());
  }

  void misnamedKeyFileIsRefused() {
    rkt::test::TempTree t;
    t.write(std::string("local/trustedkeys/root.d/") + kOtherFingerprint,
            readTrustData("signer.asc"));
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    auto r = ks.keysFor("example.com/app");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message,
                           r.error().message.find("fingerprint mismatch") != std::string::npos);
    auto check = ks.checkSignature("example.com/app", trustData("data"), readTrustData("data.asc"));
    CPPUNIT_ASSERT(!check.ok());
    CPPUNIT_ASSERT(check.error().message.rfind("keystore: error loading keyring", 0) == 0);
  }

  void checksSignaturesWithTheRightKeys() {
    rkt::test::TempTree t;
    t.write(std::string("local/trustedkeys/prefix.d/example.com/app/") + kSignerFingerprint,
            readTrustData("signer.asc"));
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    auto ok = ks.checkSignature("example.com/app", trustData("data"), readTrustData("data.asc"));
    CPPUNIT_ASSERT_MESSAGE(ok ? "" : ok.error().message, ok.ok());
    CPPUNIT_ASSERT_EQUAL(std::string(kSignerFingerprint), ok->fingerprint);
    auto other =
        ks.checkSignature("example.com/other", trustData("data"), readTrustData("data.asc"));
    CPPUNIT_ASSERT(!other.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("openpgp: signature made by unknown entity"),
                         other.error().message);
  }

  void storesKeysByFingerprint() {
    rkt::test::TempTree t;
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    auto p = ks.storeTrustedKey("example.com/app", readTrustData("signer.asc"));
    CPPUNIT_ASSERT(p.ok());
    CPPUNIT_ASSERT_EQUAL(
        t.path(std::string("local/trustedkeys/prefix.d/example.com/app/") + kSignerFingerprint),
        *p);
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, stat(p->c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0644u, static_cast<unsigned>(st.st_mode & 07777));
    auto root = ks.storeTrustedKey("", readTrustData("other.asc"));
    CPPUNIT_ASSERT(root.ok());
    CPPUNIT_ASSERT_EQUAL(t.path(std::string("local/trustedkeys/root.d/") + kOtherFingerprint),
                         *root);
    CPPUNIT_ASSERT(!ks.storeTrustedKey("example.com/app", "junk").ok());
    CPPUNIT_ASSERT(!ks.storeTrustedKey("../evil", readTrustData("signer.asc")).ok());
  }

  void findsKeysForPrefixOrParents() {
    rkt::test::TempTree t;
    Keystore ks(KeystoreDirs::fromConfigDirs(t.path("sys"), t.path("local")));
    CPPUNIT_ASSERT(!ks.hasKeysForPrefix("example.com/app"));
    t.write(std::string("local/trustedkeys/prefix.d/example.com/") + kSignerFingerprint, "");
    CPPUNIT_ASSERT(!ks.hasKeysForPrefix("example.com/app"));  // a mask is not a key
    t.write(std::string("sys/trustedkeys/prefix.d/example.com/") + kOtherFingerprint,
            readTrustData("other.asc"));
    CPPUNIT_ASSERT(ks.hasKeysForPrefix("example.com/app"));
    CPPUNIT_ASSERT(!ks.hasKeysForPrefix("example.org/app"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeystoreTest);
