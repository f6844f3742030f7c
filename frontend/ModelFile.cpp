// Reading an ONNX model file and the external-data files its initializers refer to.
#include "frontend/ModelFile.h"

#include "onnx/defs/parser.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <climits>

namespace mote {

std::shared_ptr<ModelFile> ModelFile::load(llvm::StringRef path, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = "cannot read the model: " + buffer.getError().message();
    return nullptr;
  }
  auto file = std::make_shared<ModelFile>();
  file->path_ = path.str();
  file->directory_ = llvm::sys::path::parent_path(path).str();
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (path.ends_with(".onnxtxt")) {
    try {
      auto status = onnx::OnnxParser::Parse(file->model_, bytes.str().c_str());
      if (!status.IsOK()) {
        error = "not valid ONNX textual syntax: " + status.ErrorMessage();
        return nullptr;
      }
    } catch (const std::exception &e) {
      error = std::string("not valid ONNX textual syntax: ") + e.what();
      return nullptr;
    }
    return file;
  }
  if (bytes.size() >= INT_MAX) {
    error = "the model file is 2 GB or more; store the weights as ONNX external data";
    return nullptr;
  }
  google::protobuf::io::ArrayInputStream array(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&array);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!file->model_.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    error = "not a valid ONNX model (the protobuf does not parse: truncated or not ONNX)";
    return nullptr;
  }
  if (!file->model_.has_graph()) {
    error = "not a valid ONNX model (it has no graph)";
    return nullptr;
  }
  return file;
}

std::vector<std::string> ModelFile::externalFiles() const {
  std::vector<std::string> files;
  for (const auto &entry : mapped_) {
    llvm::SmallString<256> full(directory_);
    llvm::sys::path::append(full, entry.getKey());
    files.push_back(std::string(full));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<llvm::ArrayRef<char>> ModelFile::externalBytes(llvm::StringRef location, uint64_t offset,
                                                            uint64_t length, std::string &error) {
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      llvm::any_of(llvm::make_range(llvm::sys::path::begin(location), llvm::sys::path::end(location)),
                   [](llvm::StringRef part) { return part == ".."; })) {
    error = "external data location '" + location.str() + "' is not a path inside the model's folder";
    return std::nullopt;
  }
  auto it = mapped_.find(location);
  if (it == mapped_.end()) {
    llvm::SmallString<256> full(directory_);
    llvm::sys::path::append(full, location);
    // The file itself, through any symlinks, must be a regular file inside the model's folder: a link to
    // /etc/passwd would put its bytes into model.weights, and a FIFO or device would block the read.
    llvm::SmallString<256> real, realDirectory;
    if (std::error_code ec = llvm::sys::fs::real_path(full, real)) {
      error = "cannot read external data file '" + std::string(full) + "': " + ec.message();
      return std::nullopt;
    }
    if (std::error_code ec = llvm::sys::fs::real_path(directory_.empty() ? "." : directory_, realDirectory)) {
      error = "cannot resolve the model's folder '" + directory_ + "': " + ec.message();
      return std::nullopt;
    }
    llvm::StringRef inside(real);
    if (!inside.consume_front(realDirectory) || !llvm::sys::path::is_separator(inside.empty() ? '\0' : inside[0])) {
      error = "external data location '" + location.str() + "' resolves to '" + std::string(real) +
              "', outside the model's folder";
      return std::nullopt;
    }
    if (!llvm::sys::fs::is_regular_file(real)) {
      error = "external data location '" + location.str() + "' is not a regular file";
      return std::nullopt;
    }
    // Large files are memory-mapped: weights are paged in only when something reads them.
    auto buffer = llvm::MemoryBuffer::getFile(full, /*IsText=*/false, /*RequiresNullTerminator=*/false,
                                              /*IsVolatile=*/false);
    if (!buffer) {
      error = "cannot read external data file '" + std::string(full) + "': " +
              buffer.getError().message();
      return std::nullopt;
    }
    it = mapped_.try_emplace(location, std::move(*buffer)).first;
  }
  uint64_t size = it->second->getBufferSize();
  if (offset > size || length > size - offset) {
    error = "external data file '" + location.str() + "' holds " + std::to_string(size) +
            " bytes; the tensor needs bytes " + std::to_string(offset) + " to " +
            std::to_string(offset + length) + " (the file is missing or short)";
    return std::nullopt;
  }
  return llvm::ArrayRef<char>(it->second->getBufferStart() + offset, length);
}

} // namespace mote
