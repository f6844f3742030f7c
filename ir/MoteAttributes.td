// Attributes of the `mote` dialect: the target description a module carries.
#ifndef MOTE_IR_MOTEATTRIBUTES_TD
#define MOTE_IR_MOTEATTRIBUTES_TD

include "ir/MoteBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Mote_TargetAttr : AttrDef<Mote_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "What a target's kernels can and cannot do; passes ask it, never the target's name.";
  let description = [{
    Set on the module as `mote.target` by `motec compile --target=T` (with the defaults of
    `targets/TargetDescription.cpp`, overridden by `--T-...` flags), or written directly in a `.mlir`
    file so that a lit test can set any constraint. A value of 0 means "no limit".

    - `max_rank`: the largest tensor rank a kernel accepts.
    - `implicit_broadcast`: whether elementwise ops may broadcast their operands.
    - `explicit_broadcast`: whether `mote.expand` (ONNX Expand/BroadcastTo) may remain.
    - `fc_max_input_rank`: fully connected layers (matmul or gemm by a constant weight) with a larger
      input rank become 1x1 convolutions.
    - `max_tensor_bytes`: the largest input, output or weight (counted in the activation type, to which
      kernels widen weights) a convolution kernel may touch; larger convolutions are serialized into
      slices.
    - `layout`: `"NCHW"` or `"NHWC"`, the activation layout of convolutions, pooling and norms.
    - `native`: the composite ops the target has kernels for; the others are decomposed.
    - `activation_type`, `weight_types`: the element types of activations and of stored weights.
    - `vector_bytes`, `fast_memory_bytes`: the SIMD width and the fast local memory, for tiling.
    - `max_alloc_bytes`: the largest single device allocation (OpenCL: Adreno 740's 256 MiB); the
      activation arena is split into buffers no larger (no activation straddles two).
    - `fusions`: the kinds of `mote.fused` region the target has kernels for (`elementwise`,
      `norm_elementwise`, `attention`, `linear_epilogue`, `sibling_matmuls`, `rotary`; `norm_prologue`: a
      linear_epilogue region may start with the layer or RMS norm its matmul reads; `norm_prologue_conv`: the
      same for a 1x1 channels-last convolution, the FC -> Conv2D form of a linear layer;
      `linear_epilogue_broadcast`: its residual may also be broadcast along the rows, one value per column
      or channel; `gated_linear`: it may end in the gated product of its result's two halves, GEGLU or
      SwiGLU; `group_norm_conv`: a group norm between convolutions is split in two, its statistics computed in
      the producing convolution's epilogue and its normalization, with the SiLU after it, in the consuming
      convolutions' prologue; `upsample_conv`: a convolution reads a nearest-neighbour upsampling by whole
      factors through it, never writing the upsampled tensor); the `fused` phase forms only these.

    ```mlir
    module attributes {mote.target = #mote.target<name = "opencl", max_rank = 4,
        implicit_broadcast = true, explicit_broadcast = false, fc_max_input_rank = 2,
        max_tensor_bytes = 33554432, layout = "NHWC", native = ["layer_norm", "attention"],
        activation_type = f16, weight_types = [i8], vector_bytes = 16, fast_memory_bytes = 0>} {}
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target name">:$name,
    DefaultValuedParameter<"int64_t", "0">:$max_rank,
    DefaultValuedParameter<"bool", "true">:$implicit_broadcast,
    DefaultValuedParameter<"bool", "true">:$explicit_broadcast,
    DefaultValuedParameter<"int64_t", "0">:$fc_max_input_rank,
    DefaultValuedParameter<"int64_t", "0">:$max_tensor_bytes,
    StringRefParameter<"activation layout", "\"NCHW\"">:$layout,
    OptionalParameter<"mlir::ArrayAttr">:$native,
    "mlir::Type":$activation_type,
    OptionalParameter<"mlir::ArrayAttr">:$weight_types,
    DefaultValuedParameter<"int64_t", "0">:$vector_bytes,
    DefaultValuedParameter<"int64_t", "0">:$fast_memory_bytes,
    OptionalParameter<"mlir::ArrayAttr">:$fusions,
    DefaultValuedParameter<"int64_t", "0">:$max_alloc_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether the target has a kernel for composite op `name` (`group_norm`, `attention`, ...).
    bool isNative(llvm::StringRef name) const;
    /// Whether the target has kernels for fused regions of `kind` (`elementwise`, ...).
    bool canFuse(llvm::StringRef kind) const;
  }];
}

#endif // MOTE_IR_MOTEATTRIBUTES_TD
