// Reading an ONNX model file and the external-data files its initializers refer to.
#ifndef MOTE_FRONTEND_MODELFILE_H
#define MOTE_FRONTEND_MODELFILE_H

#include "onnx/onnx_pb.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace mote {

/// Owns the parsed model and the mapped external-data files. Weight constants point into it, so it
/// lives as long as the last constant that does (shared by the resource blobs' deleters).
class ModelFile {
public:
  /// Parses `path`; on failure returns null and sets `error`.
  static std::shared_ptr<ModelFile> load(llvm::StringRef path, std::string &error);

  const onnx::ModelProto &model() const { return model_; }
  const std::string &path() const { return path_; }

  /// The bytes [offset, offset + length) of external-data file `location` (relative to the model's
  /// folder), mapped on first use. On failure returns nullopt and sets `error`.
  std::optional<llvm::ArrayRef<char>> externalBytes(llvm::StringRef location, uint64_t offset,
                                                    uint64_t length, std::string &error);

  /// The external-data files read so far (full paths, sorted).
  std::vector<std::string> externalFiles() const;

private:
  std::string path_;
  std::string directory_;
  onnx::ModelProto model_;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> mapped_;
};

} // namespace mote

#endif // MOTE_FRONTEND_MODELFILE_H
