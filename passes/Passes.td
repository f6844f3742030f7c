// Declarations of Mote's graph passes, grouped under banners in pipeline order.
#ifndef MOTE_PASSES_PASSES_TD
#define MOTE_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// canonical phase
//===----------------------------------------------------------------------===//

def MoteRecognizeGroupNorm : Pass<"mote-recognize-group-norm", "mlir::func::FuncOp"> {
  let summary = "Raise exported group normalization back to mote.group_norm";
  let description = [{
    `torch.onnx.export` (opset <= 17) writes GroupNorm as Reshape -> InstanceNormalization (unit
    scale, zero bias) -> Reshape -> Mul -> Add; this pass turns that chain back into one
    `mote.group_norm` with per-channel scale and bias, so that later phases see the operator and not
    its rank-3 reshapes.
  }];
}

def MoteRecognizeLayerNorm : Pass<"mote-recognize-layer-norm", "mlir::func::FuncOp"> {
  let summary = "Raise decomposed layer normalization to mote.layer_norm";
  let description = [{
    Exports before opset 17 spell LayerNorm as ReduceMean, Sub, Pow (or Mul), ReduceMean, Add,
    Sqrt, Div, then Mul and Add by the affine parameters.
  }];
}

def MoteRecognizeRmsNorm : Pass<"mote-recognize-rms-norm", "mlir::func::FuncOp"> {
  let summary = "Raise decomposed RMS normalization to mote.rms_norm";
  let description = [{
    Llama's RMSNorm exports as Pow (or Mul) -> ReduceMean -> Add -> Sqrt -> Div (or Reciprocal) ->
    Mul by the input -> Mul by the weight.
  }];
}

def MoteRecognizeGelu : Pass<"mote-recognize-gelu", "mlir::func::FuncOp"> {
  let summary = "Raise GELU (erf and tanh forms) and QuickGELU to mote.gelu";
  let description = [{
    `0.5 * x * (1 + erf(x / sqrt(2)))` becomes `gelu {approximate = "none"}`,
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` becomes `approximate = "tanh"`,
    and CLIP's QuickGELU `x * sigmoid(1.702 * x)` becomes `approximate = "sigmoid"`.
  }];
}

def MoteRecognizeSilu : Pass<"mote-recognize-silu", "mlir::func::FuncOp"> {
  let summary = "Raise x * sigmoid(x) to mote.silu";
}

def MoteRecognizeAttention : Pass<"mote-recognize-attention", "mlir::func::FuncOp"> {
  let summary = "Raise MatMul -> scale -> [mask] -> Softmax -> MatMul to mote.attention";
  let description = [{
    The scaled dot-product attention exporters write with explicit head reshapes and transposes:
    `softmax(q @ k^T * scale + mask) @ v`. Rank-4 `[B, H, S, D]` operands map directly; rank-3
    `[B*H, S, D]` ones (heads folded into the batch) are viewed as one batch of B*H heads. A
    `where(cond, scores, fill)` mask becomes the additive mask `where(cond, 0, fill)`.
  }];
}

def MoteCheckStaticShapes : Pass<"mote-check-static-shapes", "mlir::ModuleOp"> {
  let summary = "Require every value in the module to have a static shape";
  let description = [{
    Runs at the end of the `canonical` phase: after import has bound the inputs' dynamic dimensions and
    folding has evaluated the shape sub-graphs, a dynamic dimension left anywhere is an error at the op
    that produces it (naming its ONNX node), never something a later phase has to guess about.
  }];
  let dependentDialects = ["mote::MoteDialect"];
}

#endif // MOTE_PASSES_PASSES_TD
