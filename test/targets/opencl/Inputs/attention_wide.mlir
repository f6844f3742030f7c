// Attention with value heads wider than the kernel's 256 columns (the VAE decoder's mid-block: 512), 2 query
// heads on 1 key/value head; read by test/targets/opencl/attention_wide.test.
func.func @main(%q: tensor<1x2x5x300xf32>, %k: tensor<1x1x7x300xf32>, %v: tensor<1x1x7x520xf32>) -> tensor<1x2x5x520xf32> {
  %o = mote.attention %q, %k, %v {scale = 0.05 : f32} : (tensor<1x2x5x300xf32>, tensor<1x1x7x300xf32>, tensor<1x1x7x520xf32>) -> tensor<1x2x5x520xf32>
  return %o : tensor<1x2x5x520xf32>
}
