#include "util/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale {
namespace {

// FIPS 180-4 / NIST example vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShotAcrossBlockBoundaries) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += char(i * 7 + 3);
  for (size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 299u}) {
    Sha256 h;
    h.Update(std::string_view(data).substr(0, cut));
    h.Update(std::string_view(data).substr(cut));
    EXPECT_EQ(h.HexDigest(), Sha256Hex(data)) << "cut at " << cut;
  }
}

TEST(Sha256, FileMatchesMemoryAndReportsProgress) {
  testing::TempDir dir;
  std::string data(3 * 1024 * 1024 + 17, 'x');
  std::string path = dir.Write("f.bin", data);
  uint64_t last = 0;
  EXPECT_EQ(Sha256File(path, [&](uint64_t done) { last = done; }), Sha256Hex(data));
  EXPECT_EQ(last, data.size());
  EXPECT_THROW(Sha256File(dir.file("missing")), Error);
}

// RFC 4231 test case 2.
TEST(HmacSha256, Rfc4231Vector) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

}  // namespace
}  // namespace scale
