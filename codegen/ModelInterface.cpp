// The generated models' C API: see ModelInterface.h.
#include "codegen/ModelInterface.h"

#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace mote {
namespace codegen {

bool isValidModelName(StringRef name) {
  if (name.empty() || name.size() > 64 || llvm::isDigit(name.front()))
    return false;
  // NAME_t must not be a type of the C library (size_t, int64_t, ...).
  static const char *const libraryTypes[] = {
      "size",    "ssize",    "ptrdiff",  "wchar",     "wint",     "int8",      "int16",     "int32",
      "int64",   "uint8",    "uint16",   "uint32",    "uint64",   "intptr",    "uintptr",   "intmax",
      "uintmax", "off",      "time",     "clock",     "pid",      "max_align", "mbstate",   "fpos",
      "div",     "ldiv",     "lldiv",    "float",     "double",   "char16",    "char32",    "sig_atomic",
      "va_list", "jmp_buf",  "locale",   "float16",   "int_least8", "int_fast8"};
  if (llvm::is_contained(libraryTypes, name))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {

int onnxTypeOf(Type t) {
  if (t.isF32())
    return 1;
  if (t.isInteger(32))
    return 6;
  if (t.isInteger(64))
    return 7;
  if (t.isInteger(1))
    return 9;
  if (t.isF16())
    return 10;
  return 0;
}

FailureOr<std::vector<TensorInterface>> describe(func::FuncOp func, TypeRange types, bool results) {
  std::vector<TensorInterface> out;
  for (auto [k, t] : llvm::enumerate(types)) {
    StringRef what = results ? "output" : "input";
    auto rt = dyn_cast<RankedTensorType>(t);
    int onnxType = rt ? onnxTypeOf(rt.getElementType()) : 0;
    if (!rt || !rt.hasStaticShape() || onnxType == 0)
      return func.emitError("the C API cannot describe ") << what << " " << k << " of type " << t
                                                          << " (static f32, f16, i64, i32 or bool tensors)";
    auto name = results ? func.getResultAttrOfType<StringAttr>(k, "mote.name")
                        : func.getArgAttrOfType<StringAttr>(k, "mote.name");
    TensorInterface tensor;
    tensor.name = name ? name.str() : (what + "_" + std::to_string(k)).str();
    tensor.shape.assign(rt.getShape().begin(), rt.getShape().end());
    tensor.onnxType = onnxType;
    tensor.bytes = rt.getNumElements() * elementBytes(rt.getElementType());
    out.push_back(std::move(tensor));
  }
  return out;
}

const char *typeMacro(int onnxType) {
  switch (onnxType) {
  case 1:
    return "MOTE_FLOAT";
  case 6:
    return "MOTE_INT32";
  case 7:
    return "MOTE_INT64";
  case 9:
    return "MOTE_BOOL";
  default:
    return "MOTE_FLOAT16";
  }
}

/// The tables of one side (inputs or outputs): names, ranks, shapes, types, bytes.
void writeTables(llvm::raw_ostream &os, StringRef prefix, StringRef side, const std::vector<TensorInterface> &ts) {
  std::string p = (prefix + "_" + side).str();
  // C forbids empty arrays: a model without inputs gets a one-element placeholder.
  auto list = [&](auto each) {
    if (ts.empty())
      return std::string("0");
    std::string s;
    for (size_t k = 0; k < ts.size(); ++k)
      s += (k ? ", " : "") + each(ts[k], k);
    return s;
  };
  for (size_t k = 0; k < ts.size(); ++k) {
    os << "static const int64_t " << p << "_shape_" << k << "[] = {";
    for (size_t i = 0; i < ts[k].shape.size(); ++i)
      os << (i ? ", " : "") << ts[k].shape[i];
    os << (ts[k].shape.empty() ? "1" : "") << "};\n";
  }
  os << "const char *const " << p << "_names[] = {"
     << list([](const TensorInterface &t, size_t) { return "\"" + escapeForC(t.name) + "\""; }) << "};\n"
     << "const int " << p << "_ranks[] = {"
     << list([](const TensorInterface &t, size_t) { return std::to_string(t.shape.size()); }) << "};\n"
     << "const int64_t *const " << p << "_shapes[] = {"
     << (ts.empty() ? std::string("nullptr")
                    : list([&](const TensorInterface &, size_t k) { return p + "_shape_" + std::to_string(k); }))
     << "};\n"
     << "const int " << p << "_types[] = {"
     << list([](const TensorInterface &t, size_t) { return std::string(typeMacro(t.onnxType)); }) << "};\n"
     << "const size_t " << p << "_bytes[] = {"
     << list([](const TensorInterface &t, size_t) { return std::to_string(t.bytes); }) << "};\n";
}

} // namespace

FailureOr<ModelInterface> describeModel(func::FuncOp func, StringRef name, StringRef target) {
  if (!isValidModelName(name))
    return func.emitError("'") << name << "' cannot name a model: use a C identifier (letters, digits, '_')";
  ModelInterface m;
  m.name = name.str();
  m.target = target.str();
  FailureOr<std::vector<TensorInterface>> inputs = describe(func, func.getArgumentTypes(), false);
  FailureOr<std::vector<TensorInterface>> outputs = describe(func, func.getResultTypes(), true);
  if (failed(inputs) || failed(outputs))
    return failure();
  m.inputs = std::move(*inputs);
  m.outputs = std::move(*outputs);
  return m;
}

std::string writeCApiHeader(const ModelInterface &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  const std::string &n = m.name;
  std::string guard = "MOTE_MODEL_" + n + "_H"; // the exact name: `vae` and `VAE` are two models
  os << "/* Generated by motec for target " << m.target << ". Do not edit.\n"
     << " *\n"
     << " * The C API of model '" << n << "' (C and C++). Open the model on its weights file, run it as often as\n"
     << " * needed, close it. Tensors are passed in graph order, densely packed in the element types below.\n"
     << " * Every function returns 0 on success, else a status that " << n << "_error() explains.\n"
     << " * Threads: the kernels of every Mote model in the process share one thread pool, so run one model at\n"
     << " * a time (any thread may call, not two at once), and open with threads >= 1 only while none runs. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "#ifndef MOTE_ELEMENT_TYPES\n#define MOTE_ELEMENT_TYPES\n"
     << "/* Element types, numbered as ONNX's TensorProto.DataType. */\n"
     << "enum { MOTE_FLOAT = 1, MOTE_INT32 = 6, MOTE_INT64 = 7, MOTE_BOOL = 9, MOTE_FLOAT16 = 10 };\n#endif\n\n"
     << "typedef struct " << n << "_model " << n << "_t;\n\n"
     << "#define " << n << "_NUM_INPUTS " << m.inputs.size() << "\n"
     << "#define " << n << "_NUM_OUTPUTS " << m.outputs.size() << "\n"
     << "/* Bytes of the activation arena and of the packed weights, for " << n << "_open_with. */\n"
     << "#define " << n << "_ARENA_BYTES ((size_t)" << m.arenaBytes << ")\n"
     << "#define " << n << "_PACKED_BYTES ((size_t)" << m.packedBytes << ")\n\n"
     << "/* Inputs, then outputs: names, ranks, shapes (rank 0: {1}), MOTE_* element types, bytes. */\n";
  for (StringRef side : {"input", "output"})
    os << "extern const char *const " << n << "_" << side << "_names[];\n"
       << "extern const int " << n << "_" << side << "_ranks[];\n"
       << "extern const int64_t *const " << n << "_" << side << "_shapes[];\n"
       << "extern const int " << n << "_" << side << "_types[];\n"
       << "extern const size_t " << n << "_" << side << "_bytes[];\n";
  os << "\n/* Opens the model on its weights file (mapped read-only), allocates its arena and packs its weights. */\n"
     << "int " << n << "_open(const char *weights_path, " << n << "_t **model);\n"
     << "/* Same on memory the app owns: the weights file's bytes (64-byte aligned, kept alive and unchanged\n"
     << " * until " << n << "_close), and, unless NULL, the arena (" << n << "_ARENA_BYTES) and the packed weights\n"
     << " * (" << n << "_PACKED_BYTES), both 64-byte aligned. threads >= 1 resizes the process-wide thread pool\n"
     << " * the kernels use (while no model runs); 0 leaves it as it is. */\n"
     << "int " << n << "_open_with(const void *weights, size_t weights_bytes, void *arena, void *packed, int threads,\n"
     << std::string(n.size() + 15, ' ') << n << "_t **model);\n"
     << "/* One inference. */\n"
     << "int " << n << "_run(" << n << "_t *model, const void *const *inputs, void *const *outputs);\n"
     << "/* Releases what " << n << "_open allocated and the weights (NULL is accepted). */\n"
     << "void " << n << "_close(" << n << "_t *model);\n"
     << "/* What a status means. */\n"
     << "const char *" << n << "_error(int status);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

std::string writeCApiDefinitions(const ModelInterface &m, StringRef initFunction, StringRef runFunction,
                                 StringRef releaseFunction) {
  std::string text;
  llvm::raw_string_ostream os(text);
  const std::string &n = m.name;
  os << "// ---- The C API (" << n << ".h), through runtime/core/Model.h -------------------------------------\n\n"
     << "struct " << n << "_model : mote::rt::ModelHandle {};\n\n"
     << "namespace {\nconst mote::rt::ModelEntry kEntry = {\"" << escapeForC(m.target) << "\", " << m.arenaBytes
     << ", " << m.packedBytes << ", " << initFunction << ", " << runFunction
     << (releaseFunction.empty() ? std::string() : ", " + releaseFunction.str()) << "};\n} // namespace\n\n"
     << "extern \"C\" {\n\n";
  writeTables(os, n, "input", m.inputs);
  writeTables(os, n, "output", m.outputs);
  os << "\nint " << n << "_open(const char *weights_path, " << n << "_t **model) {\n"
     << "  if (!model)\n    return mote::rt::kModelInvalidArgument;\n"
     << "  " << n << "_t *h = new (std::nothrow) " << n << "_t();\n"
     << "  if (!h)\n    return mote::rt::kModelOutOfMemory;\n"
     << "  int rc = mote::rt::openModel(kEntry, weights_path, h);\n"
     << "  if (rc != 0) {\n    delete h;\n    return rc;\n  }\n  *model = h;\n  return 0;\n}\n\n"
     << "int " << n << "_open_with(const void *weights, size_t weights_bytes, void *arena, void *packed, int threads,\n"
     << std::string(n.size() + 15, ' ') << n << "_t **model) {\n"
     << "  if (!model)\n    return mote::rt::kModelInvalidArgument;\n"
     << "  " << n << "_t *h = new (std::nothrow) " << n << "_t();\n"
     << "  if (!h)\n    return mote::rt::kModelOutOfMemory;\n"
     << "  int rc = mote::rt::openModelWith(kEntry, weights, weights_bytes, arena, packed, threads, h);\n"
     << "  if (rc != 0) {\n    delete h;\n    return rc;\n  }\n  *model = h;\n  return 0;\n}\n\n"
     << "int " << n << "_run(" << n << "_t *model, const void *const *inputs, void *const *outputs) {\n"
     << "  return mote::rt::runModel(kEntry, model, inputs, outputs);\n}\n\n"
     << "void " << n << "_close(" << n << "_t *model) {\n"
     << "  if (!model)\n    return;\n  mote::rt::closeModel(model);\n  delete model;\n}\n\n"
     << "const char *" << n << "_error(int status) { return mote::rt::modelError(status); }\n\n"
     << "} // extern \"C\"\n";
  return text;
}

} // namespace codegen
} // namespace mote
