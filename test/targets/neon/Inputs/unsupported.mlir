module attributes {mote.target = #mote.target<name = "neon", layout = "NHWC", native = ["group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"], activation_type = f32, weight_types = [i8, i4], vector_bytes = 16>} {
  func.func @main() -> tensor<1x1x2x2xf32> {
    %0 = mote.constant dense<1.0> : tensor<1x1x4x4xf32>
    %1 = mote.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
    return %1 : tensor<1x1x2x2xf32>
  }
}
