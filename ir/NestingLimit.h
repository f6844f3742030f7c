// A guard for parsing Mote IR from untrusted files: MLIR's parser recurses once per nested bracket, so a file
// of a few hundred kilobytes of `[[[[...` overflows the stack. Tools check the nesting first and refuse what
// no real module needs.
#ifndef MOTE_IR_NESTINGLIMIT_H
#define MOTE_IR_NESTINGLIMIT_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mote {

/// Deeper than any module Mote writes or reads (ranks <= 8, a few nested regions) and far below where the
/// parser's recursion runs out of an 8 MB stack (~10,000 levels).
constexpr unsigned kMaxIRNesting = 1000;

/// An error ("line L, column C: brackets nested deeper than N") if `text` nests (), [], {} or <> deeper than
/// `limit` outside string literals and comments; nullopt otherwise.
std::optional<std::string> checkIRNesting(llvm::StringRef text, unsigned limit = kMaxIRNesting);

} // namespace mote

#endif // MOTE_IR_NESTINGLIMIT_H
