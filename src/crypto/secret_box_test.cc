#include "crypto/secret_box.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "crypto/crypto.h"

namespace obvpn::crypto {
namespace {

SecretBox MakeBox(const std::string& key) {
  Result<SecretBox> box = SecretBox::FromKey(Secret(key));
  EXPECT_TRUE(box.ok()) << box.status().ToString();
  return std::move(box).value();
}

const std::string kKey(32, 'k');
const std::string kOtherKey(32, 'K');

TEST(SecretBox, RejectsKeyOfWrongLength) {
  for (size_t len : {0u, 16u, 31u, 33u, 64u}) {
    Result<SecretBox> box = SecretBox::FromKey(Secret(std::string(len, 'k')));
    ASSERT_FALSE(box.ok()) << len;
    EXPECT_EQ(box.status().code(), StatusCode::kInvalidArgument) << len;
  }
}

TEST(SecretBox, OpensWhatItSealed) {
  const SecretBox box = MakeBox(kKey);
  for (const std::string& plain : {std::string(), std::string("s3cr3t-key"),
                                   std::string(1000, '\xff'), std::string("a\0b", 3)}) {
    const std::string sealed = box.Seal(plain, "AKIDrow1");
    Result<Secret> opened = box.Open(sealed, "AKIDrow1");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(opened->reveal(), plain);
  }
}

TEST(SecretBox, SealsInVersionedBase64Format) {
  const std::string sealed = MakeBox(kKey).Seal("abc", "ad");
  ASSERT_EQ(sealed.substr(0, 3), "v1:");
  std::optional<std::string> raw = Base64Decode(sealed.substr(3));
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 24u + 3u + 16u);  // nonce || ciphertext || tag
}

TEST(SecretBox, SealsTheSameValueDifferentlyEachTime) {
  const SecretBox box = MakeBox(kKey);
  const std::string a = box.Seal("same", "ad");
  const std::string b = box.Seal("same", "ad");
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(3, 32), b.substr(3, 32));  // the random nonces differ
}

void ExpectDataLoss(const Result<Secret>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
}

TEST(SecretBox, RejectsOtherKey) {
  const std::string sealed = MakeBox(kKey).Seal("value", "ad");
  ExpectDataLoss(MakeBox(kOtherKey).Open(sealed, "ad"));
}

TEST(SecretBox, RejectsOtherAssociatedData) {
  const SecretBox box = MakeBox(kKey);
  const std::string sealed = box.Seal("value", "AKIDrow1");
  ExpectDataLoss(box.Open(sealed, "AKIDrow2"));
  ExpectDataLoss(box.Open(sealed, ""));
}

TEST(SecretBox, RejectsEveryTamperedByte) {
  const SecretBox box = MakeBox(kKey);
  const std::string sealed = box.Seal("value", "ad");
  std::string raw = Base64Decode(sealed.substr(3)).value();
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    ExpectDataLoss(box.Open("v1:" + Base64Encode(tampered), "ad"));
  }
}

TEST(SecretBox, RejectsMalformedSealedValues) {
  const SecretBox box = MakeBox(kKey);
  const std::string sealed = box.Seal("value", "ad");
  ExpectDataLoss(box.Open("", "ad"));
  ExpectDataLoss(box.Open(sealed.substr(3), "ad"));                            // no prefix
  ExpectDataLoss(box.Open("v2:" + sealed.substr(3), "ad"));                    // unknown version
  ExpectDataLoss(box.Open(sealed + "\n", "ad"));                               // not strict base64
  ExpectDataLoss(box.Open("v1:" + Base64Encode(std::string(39, 'x')), "ad"));  // too short
  ExpectDataLoss(box.Open(sealed.substr(0, sealed.size() - 4), "ad"));         // truncated
}

TEST(ParseMasterKey, AcceptsBase64Of32Bytes) {
  const std::string key = RandomBytes(32);
  Result<Secret> parsed = ParseMasterKey(Base64Encode(key));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->reveal(), key);
}

TEST(ParseMasterKey, RejectsOtherContent) {
  for (const std::string& text :
       {std::string(), Base64Encode(std::string(31, 'k')), Base64Encode(std::string(33, 'k')),
        Base64Encode(std::string(32, 'k')) + "\n", std::string("not base64 at all")}) {
    Result<Secret> parsed = ParseMasterKey(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
}

class MasterKeyFile : public testing::Test {
 protected:
  void SetUp() override {
    std::string templ = testing::TempDir() + "/obvpn_key_XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ + "/master.key";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `content` to path_ with `mode` exactly.
  void WriteFile(const std::string& content, mode_t mode) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out << content;
      ASSERT_TRUE(out.good());
    }
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }

  void ExpectReadFails(StatusCode code) {
    Result<Secret> key = ReadMasterKeyFile(path_);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), code) << key.status().ToString();
  }

  std::string dir_;
  std::string path_;
};

TEST_F(MasterKeyFile, CreatesKeyThatReadsBack) {
  Result<Secret> created = CreateMasterKeyFile(path_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->size(), 32u);
  Result<Secret> read = ReadMasterKeyFile(path_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->reveal(), created->reveal());
}

TEST_F(MasterKeyFile, CreatesFileWithMode0600AndBase64Line) {
  Result<Secret> created = CreateMasterKeyFile(path_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  std::ifstream in(path_, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, Base64Encode(created->reveal()) + "\n");
}

TEST_F(MasterKeyFile, CreateNeverOverwrites) {
  WriteFile("existing", 0600);
  Result<Secret> created = CreateMasterKeyFile(path_);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kAlreadyExists);
  std::ifstream in(path_, std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "existing");
}

TEST_F(MasterKeyFile, CreatesTwoDifferentKeys) {
  Result<Secret> a = CreateMasterKeyFile(path_);
  Result<Secret> b = CreateMasterKeyFile(path_ + "2");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->reveal(), b->reveal());
}

TEST_F(MasterKeyFile, ReadReportsMissingFileAsNotFound) { ExpectReadFails(StatusCode::kNotFound); }

TEST_F(MasterKeyFile, ReadAcceptsKeyWithoutTrailingNewline) {
  const std::string key(32, 'q');
  WriteFile(Base64Encode(key), 0600);
  Result<Secret> read = ReadMasterKeyFile(path_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->reveal(), key);
}

TEST_F(MasterKeyFile, ReadAcceptsOwnerOnlyModes) {
  WriteFile(Base64Encode(std::string(32, 'q')) + "\n", 0400);
  EXPECT_TRUE(ReadMasterKeyFile(path_).ok());
}

TEST_F(MasterKeyFile, ReadRefusesFileAccessibleByGroupOrOthers) {
  for (mode_t mode : {0640, 0604, 0644, 0660, 0606, 0610, 0601, 0620, 0602, 0666}) {
    WriteFile(Base64Encode(std::string(32, 'q')) + "\n", mode);
    Result<Secret> key = ReadMasterKeyFile(path_);
    ASSERT_FALSE(key.ok()) << std::oct << mode;
    EXPECT_EQ(key.status().code(), StatusCode::kPermissionDenied) << std::oct << mode;
  }
}

TEST_F(MasterKeyFile, ReadRejectsContentThatIsNotOneKey) {
  const std::string good = Base64Encode(std::string(32, 'q'));
  for (const std::string& content :
       {std::string(), std::string("\n"), std::string("garbage\n"), good + "\n\n", good + "\r\n",
        " " + good + "\n", good + "\n" + good + "\n", Base64Encode(std::string(16, 'q')) + "\n",
        Base64Encode(std::string(64, 'q')) + "\n", std::string(4096, 'A')}) {
    WriteFile(content, 0600);
    Result<Secret> key = ReadMasterKeyFile(path_);
    ASSERT_FALSE(key.ok()) << content;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument) << content;
  }
}

TEST_F(MasterKeyFile, ReadRejectsDirectory) {
  ASSERT_EQ(::mkdir(path_.c_str(), 0700), 0);
  ExpectReadFails(StatusCode::kInvalidArgument);
}

TEST_F(MasterKeyFile, ErrorMessagesNeverContainTheKey) {
  const std::string key_text = Base64Encode(std::string(32, 'q'));
  WriteFile(key_text + "\n", 0644);
  Result<Secret> key = ReadMasterKeyFile(path_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().message().find(key_text), std::string::npos);
}

}  // namespace
}  // namespace obvpn::crypto
