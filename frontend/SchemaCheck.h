// A node's attributes checked against ONNX's own operator schema (the ONNX library Mote links), as
// onnx.checker does: an attribute the operator does not define is an error (not ignored), and so are an
// attribute of the wrong type, a missing required one, a nameless or a repeated one. Input and output
// counts are the handlers' to check (their messages name the input).
#ifndef MOTE_FRONTEND_SCHEMACHECK_H
#define MOTE_FRONTEND_SCHEMACHECK_H

#include "frontend/ModelFile.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mote {

/// Checks the attributes of `node` against its schema at `opset`; returns the reason they are invalid, or
/// an empty string. Opsets newer than the ONNX library knows are left to the handlers (their schemas
/// changed attributes), and so are operators it has no schema for and those of other domains than the
/// default one (`domain` non-empty: com.microsoft's handlers check their own attributes).
std::string checkNodeSchema(const onnx::NodeProto &node, llvm::StringRef domain, int64_t opset);

} // namespace mote

#endif // MOTE_FRONTEND_SCHEMACHECK_H
