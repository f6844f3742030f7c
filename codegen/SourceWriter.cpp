// Writing generated C/C++ sources (see SourceWriter.h).
#include "codegen/SourceWriter.h"

#include "ir/Locations.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <cstdio>

using namespace mlir;

namespace mote {
namespace codegen {

static std::string withPoint(std::string s) {
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

double attrValue(llvm::APFloat f) {
  bool lost;
  f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

std::string floatLiteral(double v) {
  if (std::isnan(v))
    return "std::numeric_limits<float>::quiet_NaN()";
  if (std::isinf(v))
    return v > 0 ? "std::numeric_limits<float>::infinity()" : "-std::numeric_limits<float>::infinity()";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return withPoint(buf) + "f";
}

std::string doubleLiteral(double v) {
  if (std::isnan(v))
    return "std::numeric_limits<double>::quiet_NaN()";
  if (std::isinf(v))
    return v > 0 ? "HUGE_VAL" : "-HUGE_VAL";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return withPoint(buf);
}

std::string escapeForC(StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += '?';
    else
      out += c;
  }
  return out;
}

std::string SourceWriter::declareTable(StringRef prefix, StringRef elementType, ArrayRef<std::string> elements,
                                       StringRef whenEmpty) {
  std::string name = prefix.str() + std::to_string(tables++);
  declStream << "static const " << elementType << " " << name << "[] = {";
  if (elements.empty())
    declStream << whenEmpty;
  for (auto [i, e] : llvm::enumerate(elements))
    declStream << (i ? ", " : "") << e;
  declStream << "};\n";
  return name;
}

std::string SourceWriter::intTable(ArrayRef<int64_t> values) {
  SmallVector<std::string> elements;
  for (int64_t v : values)
    elements.push_back(std::to_string(v));
  return declareTable("kI", "int64_t", elements, "0");
}

std::string SourceWriter::floatTable(ArrayRef<float> values) {
  SmallVector<std::string> elements;
  for (float v : values)
    elements.push_back(floatLiteral(v));
  return declareTable("kF", "float", elements, "0");
}

std::string SourceWriter::table(StringRef elementType, ArrayRef<std::string> elements) {
  return declareTable("kT", elementType, elements, "{}");
}

void SourceWriter::commentOp(Operation *op) {
  bodyStream << "  // " << op->getName().getStringRef();
  std::string nodes = describeNodes(op->getLoc());
  if (!nodes.empty())
    bodyStream << ": " << escapeForC(nodes);
  bodyStream << "\n";
}

LogicalResult writeSourceFile(Operation *op, StringRef dir, StringRef name, StringRef text) {
  SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  // An identical file is left alone (its time too), so that build systems need not recompile it.
  if (auto existing = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false))
    if ((*existing)->getBuffer() == text)
      return success();
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << text;
    os.close();
    if (!os.has_error())
      return success();
    ec = os.error();
    os.clear_error();
  }
  return op->emitError("cannot write '") << path << "': " << ec.message();
}

} // namespace codegen
} // namespace mote
