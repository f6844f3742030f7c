// Locations that tie Mote ops to the ONNX nodes they came from, and how diagnostics print them.
#include "ir/Locations.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace mote {

Location onnxFileLocation(MLIRContext *ctx, llvm::StringRef file) {
  return FileLineColLoc::get(ctx, file, 0, 0);
}

Location onnxNodeLocation(MLIRContext *ctx, llvm::StringRef file, llvm::StringRef nodeName,
                          llvm::StringRef opType, int64_t opset) {
  Location name = NameLoc::get(StringAttr::get(ctx, nodeName), onnxFileLocation(ctx, file));
  std::string origin = opset > 0 ? (opType + ", opset " + llvm::Twine(opset)).str() : opType.str();
  return FusedLoc::get(ctx, {name}, StringAttr::get(ctx, origin));
}

std::string describeLocation(Location loc) {
  std::string out;
  llvm::raw_string_ostream os(out);
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    auto origin = dyn_cast_or_null<StringAttr>(fused.getMetadata());
    if (fused.getLocations().size() == 1)
      if (auto name = dyn_cast<NameLoc>(fused.getLocations()[0])) {
        os << describeLocation(name.getChildLoc()) << ": node '" << name.getName().getValue() << "'";
        if (origin)
          os << " (" << origin.getValue() << ")";
        return out;
      }
    // An op a rewrite made from several nodes (a matmul and its bias add): name each.
    if (!origin && !fused.getLocations().empty()) {
      for (auto [i, part] : llvm::enumerate(fused.getLocations()))
        os << (i ? " + " : "") << describeLocation(part);
      return out;
    }
  }
  if (auto name = dyn_cast<NameLoc>(loc)) {
    os << describeLocation(name.getChildLoc()) << ": node '" << name.getName().getValue() << "'";
    return out;
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    os << file.getFilename().getValue();
    if (file.getLine() != 0)
      os << ":" << file.getLine() << ":" << file.getColumn();
    return out;
  }
  if (isa<UnknownLoc>(loc))
    return out;
  loc.print(os);
  return out;
}

std::string describeNodes(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    auto origin = dyn_cast_or_null<StringAttr>(fused.getMetadata());
    if (fused.getLocations().size() == 1 && origin)
      if (auto name = dyn_cast<NameLoc>(fused.getLocations()[0]))
        return "node '" + name.getName().getValue().str() + "' (" + origin.getValue().str() + ")";
    std::string out;
    for (Location part : fused.getLocations()) {
      std::string described = describeNodes(part);
      if (!described.empty())
        out += (out.empty() ? "" : " + ") + described;
    }
    return out;
  }
  if (auto name = dyn_cast<NameLoc>(loc))
    return "node '" + name.getName().getValue().str() + "'";
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return describeNodes(callSite.getCallee());
  return "";
}

llvm::SmallVector<std::string> onnxNodeNames(Location loc) {
  llvm::SmallVector<std::string> names;
  loc->walk([&](Location part) {
    if (auto name = dyn_cast<NameLoc>(part))
      names.push_back(name.getName().getValue().str());
    return WalkResult::advance();
  });
  return names;
}

} // namespace mote
