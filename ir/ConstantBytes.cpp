// The raw elements of a constant attribute.
#include "ir/ConstantBytes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace mote {

std::optional<std::vector<char>> constantBytes(ElementsAttr value, size_t elementSize) {
  size_t count = static_cast<size_t>(value.getNumElements());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != count * elementSize)
      return std::nullopt;
    return std::vector<char>(blob->getData().begin(), blob->getData().end());
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return std::nullopt;
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat() && raw.size() == elementSize) {
    std::vector<char> out;
    out.reserve(count * elementSize);
    for (size_t i = 0; i < count; ++i)
      out.insert(out.end(), raw.begin(), raw.end());
    return out;
  }
  if (raw.size() != count * elementSize)
    return std::nullopt;
  return std::vector<char>(raw.begin(), raw.end());
}

DenseElementsAttr int4Elements(RankedTensorType type, ArrayRef<int8_t> values) {
  // MLIR keeps an i4 element in the low bits of a byte of its own (as DenseElementsAttr::get of APInts does).
  std::vector<char> bytes(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    bytes[i] = static_cast<char>(static_cast<uint8_t>(values[i]) & 0xF);
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

} // namespace mote
