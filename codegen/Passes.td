// Declarations of the code generation passes of the planned phase (target-independent).
#ifndef MOTE_CODEGEN_PASSES_TD
#define MOTE_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// planned phase
//===----------------------------------------------------------------------===//

def MoteAssignStorageTypes : Pass<"mote-assign-storage-types", "mlir::ModuleOp"> {
  let summary = "Retype float activations to the target's activation (storage) type";
  let description = [{
    The first pass of the planned phase: from here on, IR types are what the target stores. With an
    `activation_type` of f16, every f32 activation becomes f16; the model's f32 inputs and outputs are
    converted by explicit `mote.cast` ops at the function's edges (its signature does not change, but for
    the KV caches mote-kv-cache marks `mote.kv_cache`: those arguments and results take the storage type, so
    that the runtime's cache buffer is written in place, not converted whole on every call), and
    every f32 constant an op reads goes through one `mote.cast` to f16, which the emitter applies while
    writing the weights file (weights are never converted in memory). The memory planner then sizes every
    buffer from its IR type, and each target's kernel selection sees the types it must compute on.

    Integer activation types (i8) need quantization parameters that only a quantized model carries:
    without them the pass fails with an error at the first op that produces a float activation.
  }];
}

#endif // MOTE_CODEGEN_PASSES_TD
