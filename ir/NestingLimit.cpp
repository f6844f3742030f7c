// The nesting guard for parsing untrusted Mote IR (see NestingLimit.h).
#include "ir/NestingLimit.h"

namespace mote {

std::optional<std::string> checkIRNesting(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0, line = 1, column = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      continue;
    }
    if (inString) {
      if (c == '\\')
        ++i, ++column; // an escaped character, whatever it is
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i; // a comment, to the end of the line
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > limit)
        return "line " + std::to_string(line) + ", column " + std::to_string(column) +
               ": brackets nested deeper than " + std::to_string(limit) + " levels";
    } else if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) {
      // '>' also ends arrows ("->"): those never had an opening bracket, and depth only guards the maximum.
      if (!(c == '>' && i > 0 && text[i - 1] == '-'))
        --depth;
    }
  }
  return std::nullopt;
}

} // namespace mote
