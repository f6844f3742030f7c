// Writing generated C/C++ sources, shared by the emitters: literals that read back exactly, file-scope
// constant tables, a comment per op naming the ONNX nodes it came from, and writing the files.
#ifndef MOTE_CODEGEN_SOURCEWRITER_H
#define MOTE_CODEGEN_SOURCEWRITER_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace mote {
namespace codegen {

/// An F32Attr/F64Attr value as a double (for the literals below).
double attrValue(llvm::APFloat f);

/// A C float literal that reads back as the same float (inf/nan spelled portably).
std::string floatLiteral(double v);
/// A C double literal that reads back exactly.
std::string doubleLiteral(double v);
/// A C string literal's body: quotes, backslashes and control characters escaped.
std::string escapeForC(llvm::StringRef text);

/// A generated source: file-scope declarations (constant tables) and a function body, written in step.
class SourceWriter {
public:
  /// The name of a new file-scope `static const int64_t kI<n>[]` holding `values`.
  std::string intTable(llvm::ArrayRef<int64_t> values);
  /// Likewise `static const float kF<n>[]`.
  std::string floatTable(llvm::ArrayRef<float> values);
  /// Likewise `static const <elementType> kT<n>[]` of C++ initializers (`{1, 2}`, `3`, ...).
  std::string table(llvm::StringRef elementType, llvm::ArrayRef<std::string> elements);
  /// "  // mote.conv: node 'conv_1' (Conv, opset 17)" in the body, above the op's code.
  void commentOp(mlir::Operation *op);

  llvm::raw_string_ostream &body() { return bodyStream; }
  const std::string &declarations() const { return declText; }
  const std::string &bodyText() const { return bodyTextStr; }

private:
  /// Declares `static const <elementType> <prefix><n>[] = {elements...}` (`{whenEmpty}` if there are none).
  std::string declareTable(llvm::StringRef prefix, llvm::StringRef elementType, llvm::ArrayRef<std::string> elements,
                           llvm::StringRef whenEmpty);

  std::string declText, bodyTextStr;
  llvm::raw_string_ostream declStream{declText}, bodyStream{bodyTextStr};
  unsigned tables = 0;
};

/// Writes `text` to `dir`/`name` (leaving a file that already holds exactly `text` untouched, time included);
/// on failure emits an error at `op` naming the path and returns failure.
mlir::LogicalResult writeSourceFile(mlir::Operation *op, llvm::StringRef dir, llvm::StringRef name,
                                    llvm::StringRef text);

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_SOURCEWRITER_H
