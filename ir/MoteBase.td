// The `mote` dialect's definition and the op base classes shared by MoteOps.td.
#ifndef MOTE_IR_MOTEBASE_TD
#define MOTE_IR_MOTEBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Mote_Dialect : Dialect {
  let name = "mote";
  let cppNamespace = "::mote";
  let summary = "Tensor ops of ONNX generative models, with value semantics and static shapes.";
  let description = [{
    The `mote` dialect holds the graph Mote compiles: one op (or a few) per ONNX node after import,
    first-class composites (`group_norm`, `layer_norm`, `rms_norm`, `gelu`, `silu`, `attention`) after
    recognition, and target-legal forms after legalization. Every op has value semantics; shapes are
    static once the `canonical` phase has run. Attribute-like ONNX inputs (a Reshape's shape, a Slice's
    starts) are resolved to attributes or result types at import, so later passes never chase shape
    sub-graphs.
  }];
  let hasConstantMaterializer = 1;
  let hasCanonicalizer = 1;
  // `mote.lhs_quantization = "int8_per_row"` on a matmul or gemm whose right operand is a `mote.dequantize`
  // (the `w4a8` scheme): the left operand's rows are quantized to int8 at run time and the product is computed
  // in integers, exactly as runtime/neon/GemmI8.h specifies (row scale max|x| / 127, round to nearest even,
  // int32 sums per scale group, fma-based scaling). `"int8_per_tensor"` with `mote.lhs_scale = S : f32` (the
  // `w8a8` scheme, S from calibration) on a matmul, gemm or group-1 convolution over an i8 weight with
  // per-output-channel scales: the left operand quantized with the one scale S (clamped to [-127, 127]);
  // `"int16_per_tensor"` likewise to [-32767, 32767] with exact sums (`w8a16`, runtime/neon/GemmI16.h).
  // Checked by verifyOperationAttribute.
  let hasOperationAttrVerify = 1;
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes (in MoteAttributes.cpp, where their storage is defined).
    void registerAttributes();
  }];
}

class Mote_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mote_Dialect, mnemonic, !listconcat(traits, [Pure])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Mote_FloatTensor : RankedTensorOf<[F16, BF16, F32, F64]>;
def Mote_IntTensor : RankedTensorOf<[I8, I16, I32, I64, UI8]>;
def Mote_IndexTensor : RankedTensorOf<[I32, I64]>;
def Mote_BoolTensor : RankedTensorOf<[I1]>;

// Elementwise ops whose result has the operand's type.
class Mote_UnaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : Mote_Op<mnemonic, !listconcat(traits, [SameOperandsAndResultType, Elementwise])> {
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

// Elementwise ops with ONNX (numpy) multidirectional broadcasting; result element type is the operands'.
class Mote_BinaryOp<string mnemonic, list<Trait> traits = []>
    : Mote_Op<mnemonic, !listconcat(traits, [InferTypeOpAdaptor, SameOperandsElementType])> {
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

// Broadcasting comparisons and logic: the result is i1.
class Mote_CompareOp<string mnemonic, list<Trait> traits = []>
    : Mote_Op<mnemonic, !listconcat(traits, [InferTypeOpAdaptor, SameOperandsElementType])> {
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs Mote_BoolTensor:$output);
  let hasFolder = 1;
}

// Reductions over `axes` (empty: all axes).
class Mote_ReduceOp<string mnemonic> : Mote_Op<mnemonic, [InferTypeOpAdaptor]> {
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // MOTE_IR_MOTEBASE_TD
