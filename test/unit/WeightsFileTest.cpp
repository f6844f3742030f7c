// Unit tests of the weights file: what codegen/WeightsWriter writes, runtime/core/WeightsFile reads back
// unchanged and aligned, and every damaged, foreign or mismatched file is refused with a message that says why.
#include "runtime/core/WeightsFile.h"
#include "codegen/WeightsWriter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace mote;
using mote::rt::WeightsError;
using mote::rt::WeightsFile;
using mote::rt::WeightsSection;
using mote::rt::WeightsStatus;
using mote::weights::ElementType;

namespace {

std::vector<char> readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeBytes(const std::string &path, const std::vector<char> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

unsigned char *raw(std::vector<char> &bytes) { return reinterpret_cast<unsigned char *>(bytes.data()); }

// Recomputes the header's checksum, so that a test can damage the table alone and see the table refused
// rather than the checksum.
void reseal(std::vector<char> &bytes) {
  uint64_t sum = weights::fileChecksum(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
  weights::storeLE64(raw(bytes) + 48, sum);
}

weights::SectionEntry entry(std::vector<char> &bytes, size_t i) {
  return weights::decodeSectionEntry(raw(bytes) + weights::kHeaderSize + i * weights::kSectionEntrySize);
}

void setEntry(std::vector<char> &bytes, size_t i, const weights::SectionEntry &e) {
  weights::encodeSectionEntry(e, raw(bytes) + weights::kHeaderSize + i * weights::kSectionEntrySize);
}

struct SampleSection {
  std::string name;
  std::vector<char> bytes;
  ElementType type;
  uint32_t alignment;
};

class WeightsFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mote-weights-test", path));
    dir = std::string(path);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string file(const char *name) const { return dir + "/" + name; }

  // A few sections of different sizes, types and alignments, one of them empty.
  std::vector<SampleSection> sample() const {
    std::vector<SampleSection> s;
    std::mt19937 rng(7);
    auto randomBytes = [&](size_t n) {
      std::vector<char> v(n);
      for (char &c : v)
        c = static_cast<char>(rng());
      return v;
    };
    s.push_back({"conv1.weight", randomBytes(4000), ElementType::F32, 64});
    s.push_back({"conv1.bias", randomBytes(6), ElementType::F16, 64});
    s.push_back({"hvx.weight", randomBytes(1000), ElementType::I8, 128});
    s.push_back({"empty", {}, ElementType::Raw, 64});
    s.push_back({"page", randomBytes(100), ElementType::I4, 4096});
    s.push_back(
        {"/down_blocks.0/resnets.0/conv1/Conv_output_0 packed int4 per-group", randomBytes(77), ElementType::U4, 64});
    return s;
  }

  void writeSample(const std::string &path, const std::vector<SampleSection> &sections, const char *target = "neon") {
    WeightsWriter writer;
    for (const SampleSection &e : sections)
      writer.addSection(e.name, e.bytes, e.type, e.alignment);
    llvm::Error error = writer.write(path, target);
    ASSERT_FALSE(error) << llvm::toString(std::move(error));
  }

  // Writes the sample, lets `damage` change its bytes, and opens the result as `neon`.
  WeightsStatus openDamaged(const std::function<void(std::vector<char> &)> &damage) {
    std::string path = file("damaged.weights");
    writeSample(path, sample());
    std::vector<char> bytes = readBytes(path);
    damage(bytes);
    writeBytes(path, bytes);
    WeightsFile weights;
    WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights);
    EXPECT_FALSE(weights.isOpen());
    return status;
  }

  void checkReadsBack(WeightsFile::Load load) {
    std::string path = file("model.weights");
    std::vector<SampleSection> expected = sample();
    writeSample(path, expected);

    WeightsFile weights;
    WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights, load);
    ASSERT_TRUE(status.ok()) << status.message;
    EXPECT_STREQ(weights.target(), "neon");
    EXPECT_EQ(weights.size(), readBytes(path).size());
    ASSERT_EQ(weights.sectionCount(), expected.size());
    const char *base = static_cast<const char *>(weights.data());
    for (uint32_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(expected[i].name);
      WeightsSection s = weights.section(i);
      EXPECT_STREQ(s.name, expected[i].name.c_str());
      EXPECT_EQ(s.type, expected[i].type);
      EXPECT_EQ(s.alignment, expected[i].alignment);
      ASSERT_EQ(s.size, expected[i].bytes.size());
      EXPECT_EQ(std::vector<char>(static_cast<const char *>(s.data), static_cast<const char *>(s.data) + s.size),
                expected[i].bytes);
      size_t offset = static_cast<size_t>(static_cast<const char *>(s.data) - base);
      EXPECT_EQ(offset % 64, 0u);
      EXPECT_EQ(offset % expected[i].alignment, 0u);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(s.data) % expected[i].alignment, 0u);
      WeightsSection found;
      ASSERT_TRUE(weights.find(expected[i].name.c_str(), &found));
      EXPECT_EQ(found.data, s.data);
    }
    EXPECT_FALSE(weights.find("missing", nullptr));
    EXPECT_EQ(weights.section(weights.sectionCount()).data, nullptr);
  }

  std::string dir;
};

// --- Reading back what the writer wrote. ---

TEST_F(WeightsFileTest, ReadsBackMapped) { checkReadsBack(WeightsFile::Load::MapOrRead); }

TEST_F(WeightsFileTest, ReadsBackThroughRead) { checkReadsBack(WeightsFile::Load::Read); }

TEST_F(WeightsFileTest, ReadsBackFromMemory) {
  std::string path = file("model.weights");
  writeSample(path, sample());
  std::vector<char> bytes = readBytes(path);
  void *buffer = nullptr;
  ASSERT_EQ(posix_memalign(&buffer, 4096, bytes.size() + 64), 0);
  std::memcpy(buffer, bytes.data(), bytes.size());
  WeightsFile weights;
  WeightsStatus status = WeightsFile::fromMemory(buffer, bytes.size(), "neon", &weights);
  EXPECT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(weights.sectionCount(), sample().size());

  // Off a 64-byte boundary the sections would be misaligned: refused before anything is read.
  char *shifted = static_cast<char *>(buffer) + 16;
  std::memmove(shifted, buffer, bytes.size());
  WeightsFile misaligned;
  status = WeightsFile::fromMemory(shifted, bytes.size(), "neon", &misaligned, "embedded");
  EXPECT_EQ(status.code, WeightsError::InvalidArgument);
  EXPECT_NE(std::string(status.message).find("embedded: the image must start on a 64-byte boundary"), std::string::npos)
      << status.message;
  std::free(buffer);
}

TEST_F(WeightsFileTest, NoSections) {
  std::string path = file("empty.weights");
  writeSample(path, {});
  EXPECT_EQ(readBytes(path).size(), weights::kHeaderSize);
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(weights.sectionCount(), 0u);
}

TEST_F(WeightsFileTest, NullTargetAcceptsAnyAndMoveTransfers) {
  std::string path = file("model.weights");
  writeSample(path, sample(), "opencl");
  WeightsFile weights;
  ASSERT_TRUE(WeightsFile::open(path.c_str(), nullptr, &weights).ok());
  EXPECT_STREQ(weights.target(), "opencl");
  const void *data = weights.data();
  WeightsFile moved(std::move(weights));
  EXPECT_FALSE(weights.isOpen());
  EXPECT_EQ(moved.data(), data);
  EXPECT_EQ(moved.sectionCount(), sample().size());
  // Opening into a WeightsFile that holds a file replaces it (the old mapping is released).
  ASSERT_TRUE(WeightsFile::open(path.c_str(), "opencl", &moved).ok());
  EXPECT_EQ(moved.sectionCount(), sample().size());
}

// --- Refusals, one per check, in the order the reader makes them. ---

bool says(const WeightsStatus &status, const std::string &text) {
  return std::string(status.message).find(text) != std::string::npos;
}

TEST_F(WeightsFileTest, RefusesMissingFile) {
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(file("absent.weights").c_str(), "neon", &weights);
  EXPECT_EQ(status.code, WeightsError::IoError);
  EXPECT_TRUE(says(status, "absent.weights: cannot open")) << status.message;
}

TEST_F(WeightsFileTest, RefusesTruncated) {
  std::string path = file("short.weights");
  writeBytes(path, std::vector<char>(10, 'M'));
  for (WeightsFile::Load load : {WeightsFile::Load::MapOrRead, WeightsFile::Load::Read}) {
    WeightsFile weights;
    WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights, load);
    EXPECT_EQ(status.code, WeightsError::Truncated);
    EXPECT_TRUE(says(status, "truncated: 10 bytes, the header needs 64")) << status.message;
  }
  writeBytes(path, {});
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights);
  EXPECT_EQ(status.code, WeightsError::Truncated);
  EXPECT_TRUE(says(status, "truncated: 0 bytes")) << status.message;
}

TEST_F(WeightsFileTest, RefusesBadMagic) {
  WeightsStatus status = openDamaged([](std::vector<char> &bytes) { bytes[3] = 'X'; });
  EXPECT_EQ(status.code, WeightsError::BadMagic);
  EXPECT_TRUE(says(status, "not a Mote weights file (bad magic)")) << status.message;

  // Something else entirely, long enough to have a header.
  std::string path = file("model.onnx");
  std::string text(200, 'x');
  writeBytes(path, std::vector<char>(text.begin(), text.end()));
  WeightsFile weights;
  status = WeightsFile::open(path.c_str(), "neon", &weights);
  EXPECT_EQ(status.code, WeightsError::BadMagic);
}

TEST_F(WeightsFileTest, EveryHeaderByteIsChecked) {
  // Reserved fields, the padding of the target name and namesSize used to be outside the checksum: now a
  // change to any bit of the header is refused (by the check of its field, or by the checksum).
  for (size_t i = 0; i < weights::kHeaderSize; ++i)
    for (int bit = 0; bit < 8; bit += 3) {
      WeightsStatus status = openDamaged([&](std::vector<char> &bytes) { bytes[i] ^= static_cast<char>(1 << bit); });
      EXPECT_NE(status.code, WeightsError::Ok) << "header byte " << i << ", bit " << bit;
    }
}

TEST_F(WeightsFileTest, RefusesAFifoWithoutBlocking) {
  // Opening a FIFO for reading used to wait for a writer forever.
  std::string path = file("model.weights");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights);
  EXPECT_EQ(status.code, WeightsError::IoError);
  EXPECT_TRUE(says(status, "not a regular file")) << status.message;
}

TEST_F(WeightsFileTest, RefusesWrongVersion) {
  WeightsStatus status = openDamaged([](std::vector<char> &bytes) { weights::storeLE32(raw(bytes) + 8, 3); });
  EXPECT_EQ(status.code, WeightsError::BadVersion);
  EXPECT_TRUE(says(status, "format version 3, this runtime reads 2")) << status.message;
}

TEST_F(WeightsFileTest, RefusesWrongTarget) {
  std::string path = file("gpu.weights");
  writeSample(path, sample(), "opencl");
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(path.c_str(), "neon", &weights);
  EXPECT_EQ(status.code, WeightsError::WrongTarget);
  EXPECT_TRUE(says(status, "built for target 'opencl', this runtime is 'neon'")) << status.message;
  EXPECT_FALSE(weights.isOpen());

  // A target field without its NUL cannot be compared; it is refused, not read past.
  status = openDamaged([](std::vector<char> &bytes) { std::memset(raw(bytes) + 16, 'n', 24); });
  EXPECT_EQ(status.code, WeightsError::WrongTarget);
  EXPECT_TRUE(says(status, "target name in the header is not terminated")) << status.message;
}

TEST_F(WeightsFileTest, RefusesAppendedBytes) {
  size_t size = 0;
  WeightsStatus status = openDamaged([&](std::vector<char> &bytes) {
    size = bytes.size();
    bytes.insert(bytes.end(), 7, '\0');
  });
  EXPECT_EQ(status.code, WeightsError::SizeMismatch);
  EXPECT_TRUE(says(status, "size mismatch: header says " + std::to_string(size) + " bytes, file has " +
                               std::to_string(size + 7)))
      << status.message;
}

TEST_F(WeightsFileTest, RefusesCutBytes) {
  size_t size = 0;
  WeightsStatus status = openDamaged([&](std::vector<char> &bytes) {
    size = bytes.size();
    bytes.resize(size - 5);
  });
  EXPECT_EQ(status.code, WeightsError::SizeMismatch);
  EXPECT_TRUE(says(status, "size mismatch: header says " + std::to_string(size) + " bytes, file has " +
                               std::to_string(size - 5)))
      << status.message;
}

TEST_F(WeightsFileTest, RefusesCorruptedSection) {
  // One flipped bit in the first section's data.
  WeightsStatus status = openDamaged([](std::vector<char> &bytes) { bytes[entry(bytes, 0).offset + 1234] ^= 4; });
  EXPECT_EQ(status.code, WeightsError::ChecksumMismatch);
  EXPECT_TRUE(says(status, "checksum mismatch: the file is corrupted")) << status.message;

  // In the last byte of the file (the checksum's tail), and in the padding between sections.
  status = openDamaged([](std::vector<char> &bytes) { bytes.back() ^= 1; });
  EXPECT_EQ(status.code, WeightsError::ChecksumMismatch);
  status = openDamaged([](std::vector<char> &bytes) { bytes[entry(bytes, 1).offset + 6] ^= 1; });
  EXPECT_EQ(status.code, WeightsError::ChecksumMismatch);
  // In a name: the table is still consistent, the checksum is not.
  status =
      openDamaged([](std::vector<char> &bytes) { bytes[weights::kHeaderSize + 6 * weights::kSectionEntrySize] = 'k'; });
  EXPECT_EQ(status.code, WeightsError::ChecksumMismatch);
  // In the header's checksum itself.
  status = openDamaged([](std::vector<char> &bytes) { bytes[50] ^= 1; });
  EXPECT_EQ(status.code, WeightsError::ChecksumMismatch);
}

TEST_F(WeightsFileTest, RefusesSectionOutsideFile) {
  // Past the end, with the checksum made to match so that only the table is wrong.
  WeightsStatus status = openDamaged([](std::vector<char> &bytes) {
    weights::SectionEntry e = entry(bytes, 2);
    e.offset = weights::alignTo(bytes.size(), 128) + 128;
    setEntry(bytes, 2, e);
    reseal(bytes);
  });
  EXPECT_EQ(status.code, WeightsError::BadSectionTable);
  EXPECT_TRUE(says(status, "section 2 ('hvx.weight') of 1000 bytes")) << status.message;
  EXPECT_TRUE(says(status, "lies outside the file")) << status.message;

  // Starting inside, ending outside; a size that would overflow offset + size; and, without resealing,
  // the table is still what is reported (it is checked before the checksum).
  for (uint64_t size : {uint64_t(1) << 20, ~uint64_t(0) - 100}) {
    for (bool resealed : {true, false}) {
      status = openDamaged([&](std::vector<char> &bytes) {
        size_t last = sample().size() - 1;
        weights::SectionEntry e = entry(bytes, last);
        e.size = size;
        setEntry(bytes, last, e);
        if (resealed)
          reseal(bytes);
      });
      EXPECT_EQ(status.code, WeightsError::BadSectionTable);
      EXPECT_TRUE(says(status, "lies outside the file")) << status.message;
    }
  }
}

TEST_F(WeightsFileTest, RefusesInconsistentSectionTable) {
  struct Case {
    const char *what;
    std::function<void(std::vector<char> &)> damage;
    const char *message;
  };
  std::vector<Case> cases = {
      {"more entries than the file holds",
       [](std::vector<char> &bytes) { weights::storeLE32(raw(bytes) + 12, 0x10000000); },
       "268435456 entries end at byte"},
      {"a name table past the end", [](std::vector<char> &bytes) { weights::storeLE32(raw(bytes) + 56, 0xffffff00); },
       "the name table ends at byte"},
      {"a name outside the name table",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 1);
         e.nameOffset = 100000;
         setEntry(bytes, 1, e);
       },
       "the name of section 1 lies outside the name table"},
      {"an unterminated name",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 0);
         e.nameSize -= 1;
         setEntry(bytes, 0, e);
       },
       "the name of section 0 is not NUL-terminated"},
      {"an unknown element type",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 1);
         e.elementType = 99;
         setEntry(bytes, 1, e);
       },
       "section 1 ('conv1.bias') has unknown element type 99"},
      {"an alignment below 64",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 1);
         e.alignment = 32;
         setEntry(bytes, 1, e);
       },
       "section 1 ('conv1.bias') has alignment 32"},
      {"a misaligned offset",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 2);
         e.offset += 64; // 64- but not 128-aligned
         setEntry(bytes, 2, e);
       },
       "section 2 ('hvx.weight') at byte"},
      {"overlapping sections",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 1);
         e.offset = entry(bytes, 0).offset + 64;
         setEntry(bytes, 1, e);
       },
       "section 1 ('conv1.bias') at byte"},
      {"a section over the table",
       [](std::vector<char> &bytes) {
         weights::SectionEntry e = entry(bytes, 0);
         e.offset = 64;
         setEntry(bytes, 0, e);
       },
       "overlaps what precedes it"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    WeightsStatus status = openDamaged([&](std::vector<char> &bytes) {
      c.damage(bytes);
      reseal(bytes);
    });
    EXPECT_EQ(status.code, WeightsError::BadSectionTable);
    EXPECT_TRUE(says(status, "bad section table: ")) << status.message;
    EXPECT_TRUE(says(status, c.message)) << status.message;
  }
}

// --- The writer. ---

TEST_F(WeightsFileTest, WriterAddsConstantsFromAttributes) {
  mlir::MLIRContext context;
  context.loadDialect<mlir::BuiltinDialect>();
  mlir::Builder b(&context);
  auto f32 = mlir::RankedTensorType::get({2, 3}, b.getF32Type());
  std::vector<float> values = {1, 2, 3, 4, 5, 6};
  auto dense = mlir::DenseElementsAttr::get(f32, llvm::ArrayRef<float>(values));
  auto splat = mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({1000}, b.getF32Type()), 0.5f);
  auto bools = mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({5}, b.getI1Type()),
                                            llvm::ArrayRef<bool>({true, false, true, true, false}));
  auto boolSplat = mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({70}, b.getI1Type()), true);
  auto u8 = mlir::RankedTensorType::get({4}, mlir::IntegerType::get(&context, 8, mlir::IntegerType::Unsigned));
  auto bytes = mlir::DenseElementsAttr::get(u8, llvm::ArrayRef<uint8_t>({1, 2, 254, 255}));
  std::vector<int16_t> blobValues(300);
  for (size_t i = 0; i < blobValues.size(); ++i)
    blobValues[i] = static_cast<int16_t>(i * 7 - 1000);
  auto i16 = mlir::RankedTensorType::get({300}, b.getI16Type());
  auto resource = mlir::DenseResourceElementsAttr::get(
      i16, "blob",
      mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(
          llvm::ArrayRef<char>(reinterpret_cast<const char *>(blobValues.data()), blobValues.size() * 2), 2));

  auto noElements =
      mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({0, 4}, b.getF32Type()), llvm::ArrayRef<float>());

  WeightsWriter writer;
  for (auto [name, attr] : std::vector<std::pair<const char *, mlir::ElementsAttr>>{{"dense", dense},
                                                                                    {"splat", splat},
                                                                                    {"bools", bools},
                                                                                    {"boolSplat", boolSplat},
                                                                                    {"u8", bytes},
                                                                                    {"resource", resource},
                                                                                    {"noElements", noElements}}) {
    llvm::Expected<unsigned> index = writer.addConstant(name, attr);
    ASSERT_TRUE(bool(index)) << llvm::toString(index.takeError());
  }
  // No code for i4 as MLIR stores it (a byte each): the compiler packs those itself.
  auto i4 = mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({2}, b.getIntegerType(4)),
                                         llvm::ArrayRef<llvm::APInt>({llvm::APInt(4, 1), llvm::APInt(4, 2)}));
  llvm::Expected<unsigned> refused = writer.addConstant("i4", i4);
  ASSERT_FALSE(bool(refused));
  EXPECT_NE(llvm::toString(refused.takeError()).find("constant 'i4': element type i4 has no weights-file code"),
            std::string::npos);

  std::string path = file("constants.weights");
  llvm::Error error = writer.write(path, "reference");
  ASSERT_FALSE(error) << llvm::toString(std::move(error));
  WeightsFile weights;
  WeightsStatus status = WeightsFile::open(path.c_str(), "reference", &weights);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_EQ(weights.sectionCount(), 7u);

  auto contents = [&](const char *name, ElementType type) {
    WeightsSection s;
    EXPECT_TRUE(weights.find(name, &s)) << name;
    EXPECT_EQ(s.type, type) << name;
    return std::vector<char>(static_cast<const char *>(s.data), static_cast<const char *>(s.data) + s.size);
  };
  auto asBytes = [](const void *p, size_t n) {
    return std::vector<char>(static_cast<const char *>(p), static_cast<const char *>(p) + n);
  };
  EXPECT_EQ(contents("dense", ElementType::F32), asBytes(values.data(), 24));
  std::vector<float> halves(1000, 0.5f);
  EXPECT_EQ(contents("splat", ElementType::F32), asBytes(halves.data(), 4000));
  EXPECT_EQ(contents("bools", ElementType::Bool), (std::vector<char>{1, 0, 1, 1, 0}));
  EXPECT_EQ(contents("boolSplat", ElementType::Bool), std::vector<char>(70, 1));
  EXPECT_EQ(contents("u8", ElementType::U8), (std::vector<char>{1, 2, char(254), char(255)}));
  EXPECT_EQ(contents("resource", ElementType::I16), asBytes(blobValues.data(), 600));
  EXPECT_TRUE(contents("noElements", ElementType::F32).empty());
}

TEST_F(WeightsFileTest, WriterRefusesWhatTheReaderWould) {
  std::vector<char> bytes(10);
  auto refusal = [&](WeightsWriter &writer, const char *target) {
    std::string path = file("refused.weights");
    llvm::Error error = writer.write(path, target);
    EXPECT_FALSE(llvm::sys::fs::exists(path));
    return error ? llvm::toString(std::move(error)) : std::string();
  };
  {
    WeightsWriter writer;
    writer.addSection("a", bytes, ElementType::I8);
    writer.addSection("a", bytes, ElementType::I8);
    EXPECT_NE(refusal(writer, "neon").find("two sections are named 'a'"), std::string::npos);
  }
  {
    WeightsWriter writer;
    writer.addSection("a", bytes, ElementType::I8, 32);
    EXPECT_NE(refusal(writer, "neon").find("section 'a' asks for alignment 32"), std::string::npos);
  }
  {
    WeightsWriter writer;
    writer.addSection("a", bytes, ElementType::I8);
    EXPECT_NE(refusal(writer, "a-target-name-that-is-too-long").find("must have 1 to 23 characters"),
              std::string::npos);
  }
  {
    WeightsWriter writer;
    writer.addSection("a", bytes, ElementType::I8);
    llvm::Error error = writer.write(file("no/such/dir/model.weights"), "neon");
    ASSERT_TRUE(bool(error));
    EXPECT_NE(llvm::toString(std::move(error)).find("cannot write '"), std::string::npos);
  }
  // Nothing but the directory itself is left behind (no temporary files).
  std::error_code ec;
  llvm::sys::fs::directory_iterator it(dir, ec);
  EXPECT_EQ(it, llvm::sys::fs::directory_iterator());
}

// --- The checksum. ---

TEST(WeightsChecksum, IncrementalMatchesOneShot) {
  std::vector<unsigned char> data(1000);
  std::mt19937 rng(1);
  for (unsigned char &c : data)
    c = static_cast<unsigned char>(rng());
  for (size_t size : {size_t(0), size_t(1), size_t(31), size_t(32), size_t(33), size_t(999), size_t(1000)}) {
    uint64_t whole = weights::checksum(data.data(), size);
    for (size_t cut1 = 0; cut1 <= size; cut1 += 7) {
      for (size_t cut2 = cut1; cut2 <= size; cut2 += 13) {
        weights::Checksum c;
        c.update(data.data(), cut1);
        c.update(data.data() + cut1, cut2 - cut1);
        c.update(data.data() + cut2, size - cut2);
        ASSERT_EQ(c.finish(), whole) << size << " " << cut1 << " " << cut2;
      }
    }
  }
}

TEST(WeightsChecksum, EveryBitFlipAndLengthChanges) {
  std::vector<unsigned char> data(200);
  std::mt19937 rng(2);
  for (unsigned char &c : data)
    c = static_cast<unsigned char>(rng());
  uint64_t original = weights::checksum(data.data(), data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      data[i] ^= static_cast<unsigned char>(1 << bit);
      ASSERT_NE(weights::checksum(data.data(), data.size()), original) << i << ":" << bit;
      data[i] ^= static_cast<unsigned char>(1 << bit);
    }
  }
  // Zeros of different lengths differ (the length is hashed).
  std::vector<unsigned char> zeros(64, 0);
  EXPECT_NE(weights::checksum(zeros.data(), 32), weights::checksum(zeros.data(), 64));
  EXPECT_NE(weights::checksum(zeros.data(), 0), weights::checksum(zeros.data(), 1));
}

} // namespace
