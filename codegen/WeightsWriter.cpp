// Streaming the weights file: the layout is fixed before the first byte is written, the bytes go out in
// chunks that are hashed while they are in cache, and the header is patched with the checksum at the end.
#include "codegen/WeightsWriter.h"

#include "ir/ConstantBytes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mote::weights;

namespace mote {

uint16_t halfBits(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) // NaN (quiet, sign kept)
    return sign | 0x7e00u;
  if (ax >= 0x477fe000u) // 65504 and above (infinity included): the largest finite half
    return sign | 0x7bffu;
  if (ax >= 0x38800000u) { // a normal half: rebias the exponent, round the mantissa to 10 bits, ties to even
    const uint32_t m = ax - 0x38000000u;
    return static_cast<uint16_t>(sign | ((m + 0x0fffu + ((m >> 13) & 1u)) >> 13));
  }
  if (ax < 0x33000000u) // below half the smallest subnormal (2^-25): zero
    return sign;
  // A subnormal half: the value in units of 2^-24, rounded to nearest, ties to even.
  const uint32_t e = ax >> 23, mantissa = (ax & 0x7fffffu) | 0x800000u, shift = 126 - e;
  uint32_t units = mantissa >> shift;
  const uint32_t rest = mantissa & ((1u << shift) - 1), half = 1u << (shift - 1);
  if (rest > half || (rest == half && (units & 1u)))
    ++units;
  return static_cast<uint16_t>(sign | units);
}

std::optional<std::vector<char>> halfBytes(mlir::ElementsAttr f32Value) {
  std::optional<std::vector<char>> f32 = constantBytes(f32Value, 4);
  if (!f32 || !f32Value.getElementType().isF32())
    return std::nullopt;
  const size_t n = f32->size() / 4;
  std::vector<char> bytes(n * 2);
  for (size_t k = 0; k < n; ++k) {
    float f;
    std::memcpy(&f, f32->data() + k * 4, 4);
    const uint16_t bits = halfBits(f);
    std::memcpy(&bytes[k * 2], &bits, 2);
  }
  return bytes;
}

std::optional<ElementType> weightsElementType(Type type) {
  if (type.isF32())
    return ElementType::F32;
  if (type.isF16())
    return ElementType::F16;
  if (type.isBF16())
    return ElementType::BF16;
  if (type.isF64())
    return ElementType::F64;
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer)
    return std::nullopt;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 8:
    return isUnsigned ? ElementType::U8 : ElementType::I8;
  case 16:
    return isUnsigned ? ElementType::U16 : ElementType::I16;
  case 32:
    return isUnsigned ? ElementType::U32 : ElementType::I32;
  case 64:
    return isUnsigned ? ElementType::U64 : ElementType::I64;
  default:
    return std::nullopt;
  }
}

unsigned WeightsWriter::addSection(StringRef name, ArrayRef<char> bytes, ElementType type, uint32_t alignment) {
  Section section;
  section.name = name.str();
  section.borrowed = bytes;
  section.type = type;
  section.alignment = alignment;
  sections.push_back(std::move(section));
  return sections.size() - 1;
}

unsigned WeightsWriter::addOwnedSection(StringRef name, std::vector<char> bytes, ElementType type, uint32_t alignment) {
  Section section;
  section.name = name.str();
  section.owned = std::move(bytes);
  section.type = type;
  section.alignment = alignment;
  sections.push_back(std::move(section));
  return sections.size() - 1;
}

namespace {

llvm::Error constantError(StringRef name, const Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "constant '" + name + "': " + what);
}

std::string typeString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

} // namespace

llvm::Expected<unsigned> WeightsWriter::addConstant(StringRef name, ElementsAttr value, uint32_t alignment) {
  if (!llvm::sys::IsLittleEndianHost)
    return constantError(name, "the weights file is little-endian and this host is not");
  auto shaped = cast<ShapedType>(value.getType());
  Type elementType = shaped.getElementType();
  uint64_t count = static_cast<uint64_t>(shaped.getNumElements());
  // The model's own weights (resources) are as large as they are; a constant the compiler computed
  // (folded shape arithmetic, splats) is bounded, so a shape cannot make the weights file explode.
  uint64_t bits = elementType.isIntOrFloat() ? std::max(8u, elementType.getIntOrFloatBitWidth()) : 8;
  if (!isa<DenseResourceElementsAttr>(value) && count > kMaxComputedConstantBytes / (bits / 8))
    return constantError(name, "a constant computed at compile time of " + Twine(count) + " elements of " +
                                   typeString(elementType) + ": more than the " +
                                   Twine(kMaxComputedConstantBytes) +
                                   " bytes (256 MiB) one may take in the weights file");

  // i1: a byte per value. Dense attributes bit-pack booleans, so these are widened (masks are small).
  if (elementType.isInteger(1)) {
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (dense.isSplat()) {
        unsigned index =
            addOwnedSection(name, {static_cast<char>(dense.getSplatValue<bool>())}, ElementType::Bool, alignment);
        sections.back().repeat = count;
        return index;
      }
      std::vector<char> bytes;
      bytes.reserve(count);
      for (bool b : dense.getValues<bool>())
        bytes.push_back(static_cast<char>(b));
      return addOwnedSection(name, std::move(bytes), ElementType::Bool, alignment);
    }
  }

  std::optional<ElementType> code =
      elementType.isInteger(1) ? std::optional<ElementType>(ElementType::Bool) : weightsElementType(elementType);
  if (!code)
    return constantError(name, "element type " + typeString(elementType) +
                                   " has no weights-file code; pack it and use addSection");
  uint64_t elementBytes = elementBits(*code) / 8;

  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return constantError(name, "the resource holds no data (was it elided?)");
    ArrayRef<char> data = blob->getData();
    if (data.size() != count * elementBytes)
      return constantError(name, "the resource holds " + Twine(data.size()) + " bytes, " + Twine(count) +
                                     " elements of " + typeString(elementType) + " need " +
                                     Twine(count * elementBytes));
    return addSection(name, data, *code, alignment);
  }

  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || isa<DenseStringElementsAttr>(value))
    return constantError(name, "only dense and dense-resource constants can be written");
  if (count == 0)
    return addSection(name, {}, *code, alignment);
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat() && count != 1) {
    if (raw.size() != elementBytes)
      return constantError(name, "a splat stores " + Twine(raw.size()) + " bytes, expected " + Twine(elementBytes));
    unsigned index = addSection(name, raw, *code, alignment);
    sections.back().repeat = count;
    return index;
  }
  if (raw.size() != count * elementBytes)
    return constantError(name, "the attribute stores " + Twine(raw.size()) + " bytes, expected " +
                                   Twine(count * elementBytes));
  return addSection(name, raw, *code, alignment);
}

namespace {

llvm::Error writeError(StringRef path, const Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot write '" + path + "': " + what);
}

// Writes to the stream and the checksum together, a chunk at a time, so each chunk is hashed while it is
// still in cache and a mapped source is read once.
class HashingWriter {
public:
  explicit HashingWriter(llvm::raw_fd_ostream &os) : os(os) {}

  void write(ArrayRef<char> bytes) {
    constexpr size_t kChunk = size_t(1) << 20;
    for (size_t at = 0; at < bytes.size(); at += kChunk) {
      size_t n = std::min(kChunk, bytes.size() - at);
      os.write(bytes.data() + at, n);
      sum.update(bytes.data() + at, n);
    }
    position += bytes.size();
  }

  // `element` written `times` times, through a buffer of whole copies.
  void repeat(ArrayRef<char> element, uint64_t times) {
    if (element.empty() || times == 0)
      return;
    size_t perBuffer = std::max<size_t>(1, (size_t(64) << 10) / element.size());
    std::vector<char> buffer;
    buffer.reserve(perBuffer * element.size());
    for (size_t i = 0; i < perBuffer && i < times; ++i)
      buffer.insert(buffer.end(), element.begin(), element.end());
    size_t copies = buffer.size() / element.size();
    for (uint64_t done = 0; done < times; done += copies) {
      uint64_t n = std::min<uint64_t>(copies, times - done);
      write(ArrayRef<char>(buffer.data(), n * element.size()));
    }
  }

  void zeros(uint64_t count) {
    static const char kZeros[4096] = {};
    while (count > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(count, sizeof(kZeros)));
      write(ArrayRef<char>(kZeros, n));
      count -= n;
    }
  }

  uint64_t position = 0; // bytes after the header written so far, plus the header
  Checksum sum;

private:
  llvm::raw_fd_ostream &os;
};

} // namespace

llvm::Error WeightsWriter::write(StringRef path, StringRef target) const {
  // Refuse what the reader would refuse, before touching the disk.
  if (target.empty() || target.size() >= kTargetNameSize || target.contains('\0'))
    return writeError(path,
                      "target name '" + target + "' must have 1 to " + Twine(kTargetNameSize - 1) + " characters");
  if (sections.size() > UINT32_MAX)
    return writeError(path, "too many sections");
  llvm::StringSet<> seen;
  std::string names;
  for (const Section &s : sections) {
    if (s.name.find('\0') != std::string::npos)
      return writeError(path, "section name '" + StringRef(s.name.c_str()) + "...' contains a NUL");
    if (!seen.insert(s.name).second)
      return writeError(path, "two sections are named '" + s.name + "'");
    if (!isValidAlignment(s.alignment))
      return writeError(path, "section '" + s.name + "' asks for alignment " + Twine(s.alignment) +
                                  "; it must be a power of two from " + Twine(kMinAlignment) + " to " +
                                  Twine(kMaxAlignment));
    if (static_cast<uint32_t>(s.type) >= kElementTypeCount)
      return writeError(path,
                        "section '" + s.name + "' has unknown element type " + Twine(static_cast<uint32_t>(s.type)));
    names += s.name;
    names += '\0';
  }
  if (names.size() > UINT32_MAX)
    return writeError(path, "section names take more than 4 GiB");

  // The layout, and the header and table that describe it.
  uint64_t tableEnd = kHeaderSize + sections.size() * kSectionEntrySize;
  std::vector<unsigned char> table(tableEnd - kHeaderSize + names.size());
  std::vector<uint64_t> offsets;
  uint64_t end = tableEnd + names.size();
  uint32_t nameOffset = 0;
  for (const auto &[i, s] : llvm::enumerate(sections)) {
    SectionEntry entry;
    entry.offset = alignTo(end, s.alignment);
    entry.size = s.size();
    entry.nameOffset = nameOffset;
    entry.nameSize = static_cast<uint32_t>(s.name.size());
    entry.elementType = static_cast<uint32_t>(s.type);
    entry.alignment = s.alignment;
    encodeSectionEntry(entry, table.data() + i * kSectionEntrySize);
    offsets.push_back(entry.offset);
    end = entry.offset + entry.size;
    nameOffset += entry.nameSize + 1;
  }
  std::copy(names.begin(), names.end(), table.begin() + (tableEnd - kHeaderSize));

  Header header = {};
  std::copy(std::begin(kMagic), std::end(kMagic), header.magic);
  header.formatVersion = kFormatVersion;
  header.sectionCount = static_cast<uint32_t>(sections.size());
  std::copy(target.begin(), target.end(), header.target);
  header.fileSize = end;
  header.namesSize = static_cast<uint32_t>(names.size());
  unsigned char headerBytes[kHeaderSize];
  encodeHeader(header, headerBytes); // checksum 0 for now

  // Stream into a temporary file beside `path`, patch the checksum in, and rename it into place.
  llvm::Expected<llvm::sys::fs::TempFile> temp = llvm::sys::fs::TempFile::create(path + "-%%%%%%.tmp");
  if (!temp)
    return writeError(path, llvm::toString(temp.takeError()));
  std::error_code failure;
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os.write(reinterpret_cast<const char *>(headerBytes), kHeaderSize);
    HashingWriter out(os);
    out.sum.update(headerBytes, kHeaderSize); // the header is covered too, its checksum field read as 0
    out.position = kHeaderSize;
    out.write(ArrayRef<char>(reinterpret_cast<const char *>(table.data()), table.size()));
    for (const auto &[i, s] : llvm::enumerate(sections)) {
      out.zeros(offsets[i] - out.position);
      if (s.repeat == 1)
        out.write(s.bytes());
      else
        out.repeat(s.bytes(), s.repeat);
      if (os.has_error())
        break;
    }
    header.checksum = out.sum.finish();
    encodeHeader(header, headerBytes);
    os.seek(0);
    os.write(reinterpret_cast<const char *>(headerBytes), kHeaderSize);
    os.flush();
    if (os.has_error()) {
      failure = os.error();
      os.clear_error(); // or the stream aborts in its destructor
    }
  }
  if (failure) {
    llvm::consumeError(temp->discard());
    return writeError(path, failure.message());
  }
  if (llvm::Error e = temp->keep(path))
    return writeError(path, llvm::toString(std::move(e)));
  return llvm::Error::success();
}

} // namespace mote
