// librnp behind rkt::trust: key reading and detached signatures, with rkt's messages.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <fstream>

#include "rkt/core/trust/openpgp.hpp"
#include "trust_test_data.hpp"

using namespace rkt::trust;
using rkt::test::readTrustData;
using rkt::test::trustData;

class OpenpgpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OpenpgpTest);
  CPPUNIT_TEST(formatsFingerprintsAsRkt);
  CPPUNIT_TEST(readsArmoredKeys);
  CPPUNIT_TEST(refusesNonArmoredKeys);
  CPPUNIT_TEST(verifiesArmoredAndBinarySignatures);
  CPPUNIT_TEST(unknownSignerIsNamed);
  CPPUNIT_TEST(modifiedDataFails);
  CPPUNIT_TEST(junkSignaturesFail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void formatsFingerprintsAsRkt() {
    CPPUNIT_ASSERT_EQUAL(std::string("B346 E31D E7E3 C6F9 D1D4  603F 4DFB 61BF 26EF 7A14"),
                         displayFingerprint("b346e31de7e3c6f9d1d4603f4dfb61bf26ef7a14"));
  }

  void readsArmoredKeys() {
    auto keys = readArmoredKeys(readTrustData("signer.asc"));
    CPPUNIT_ASSERT_MESSAGE(keys ? "" : keys.error().message, keys.ok());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, keys->size());
    const PublicKey& k = keys->front();
    CPPUNIT_ASSERT_EQUAL(std::string(rkt::test::kSignerFingerprint), k.fingerprint);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, k.subkeyFingerprints.size());
    CPPUNIT_ASSERT_EQUAL(std::string(rkt::test::kSignerSubkey), k.subkeyFingerprints[0]);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, k.userIds.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Test Signer (ACI signing key) <signer@example.test>"),
                         k.userIds[0]);
    // Two blocks concatenated: both keys, in order.
    auto both = readArmoredKeys(readTrustData("signer.asc") + readTrustData("other.asc"));
    CPPUNIT_ASSERT(both.ok());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, both->size());
    CPPUNIT_ASSERT_EQUAL(std::string(rkt::test::kOtherFingerprint), (*both)[1].fingerprint);
  }

  void refusesNonArmoredKeys() {
    auto sig = readArmoredKeys(readTrustData("data.asc"));  // armored, but not a key
    CPPUNIT_ASSERT(!sig.ok());
    auto junk = readArmoredKeys(
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY "
        "BLOCK-----\n");
    CPPUNIT_ASSERT(!junk.ok());
    CPPUNIT_ASSERT(!readArmoredKeys("").ok());
    Keyring ring;
    CPPUNIT_ASSERT(!ring.addFirstKey("garbage").ok());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, ring.size());
  }

  void verifiesArmoredAndBinarySignatures() {
    Keyring ring;
    CPPUNIT_ASSERT(ring.addFirstKey(readTrustData("signer.asc")).ok());
    for (const char* sig : {"data.asc", "data.sig"}) {
      auto signer = ring.verifyDetached(trustData("data"), readTrustData(sig));
      CPPUNIT_ASSERT_MESSAGE(signer ? sig : signer.error().message, signer.ok());
      CPPUNIT_ASSERT_EQUAL(std::string(rkt::test::kSignerFingerprint), signer->fingerprint);
    }
  }

  void unknownSignerIsNamed() {
    Keyring ring;
    CPPUNIT_ASSERT(ring.addFirstKey(readTrustData("other.asc")).ok());
    auto r = ring.verifyDetached(trustData("data"), readTrustData("data.asc"));
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("openpgp: signature made by unknown entity"),
                         r.error().message);
    Keyring empty;
    auto e = empty.verifyDetached(trustData("data"), readTrustData("data.asc"));
    CPPUNIT_ASSERT_EQUAL(std::string("openpgp: signature made by unknown entity"),
                         e.error().message);
  }

  void modifiedDataFails() {
    std::string path = std::string(P_tmpdir) + "/rkt-openpgp-test-data";
    std::ofstream(path) << "the exact bytes of an imagE\n";
    Keyring ring;
    CPPUNIT_ASSERT(ring.addFirstKey(readTrustData("signer.asc")).ok());
    auto r = ring.verifyDetached(path, readTrustData("data.asc"));
    std::remove(path.c_str());
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message,
                           r.error().message.rfind("openpgp: invalid signature", 0) == 0);
  }

  void junkSignaturesFail() {
    Keyring ring;
    CPPUNIT_ASSERT(ring.addFirstKey(readTrustData("signer.asc")).ok());
    std::string armoredJunk =
        "-----BEGIN PGP SIGNATURE-----\n\nAAAAAAAAAAAAAAAAAAAA\n-----END PGP SIGNATURE-----\n";
    std::string corrupt = readTrustData("data.sig");
    corrupt[corrupt.size() / 2] ^= 0x55;
    for (const std::string& sig :
         {std::string(), std::string("junk"), armoredJunk, corrupt, readTrustData("signer.asc")}) {
      auto r = ring.verifyDetached(trustData("data"), sig);
      CPPUNIT_ASSERT(!r.ok());
      const std::string& m = r.error().message;
      CPPUNIT_ASSERT_MESSAGE(m, m == "keystore: no valid signatures found in signature file" ||
                                    m.rfind("openpgp: invalid signature", 0) == 0);
    }
    auto missing = ring.verifyDetached(trustData("no-such-file"), readTrustData("data.asc"));
    CPPUNIT_ASSERT(!missing.ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpenpgpTest);
