// Canonicalization: a large splat operand of a broadcasting op shrinks to one element of the same rank
// when the other operands give the result its shape (torch's causal mask, `full((s, s), min)` into a
// Where). Small splats, splats that give the result its shape, and targets without implicit broadcast
// keep theirs.
// RUN: mote-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @mask
// CHECK: %[[ONE:.*]] = mote.constant dense<-3.40282347E+38> : tensor<1x1xf32>
// CHECK: mote.where %arg0, %{{.*}}, %[[ONE]] : (tensor<256x256xi1>, tensor<f32>, tensor<1x1xf32>) -> tensor<256x256xf32>
// CHECK: mote.add %arg1, %[[ONE]] : (tensor<256x256xf32>, tensor<1x1xf32>) -> tensor<256x256xf32>
func.func @mask(%c: tensor<256x256xi1>, %x: tensor<256x256xf32>) -> (tensor<256x256xf32>, tensor<256x256xf32>) {
  %zero = mote.constant dense<0.0> : tensor<f32>
  %min = mote.constant dense<-3.40282347E+38> : tensor<256x256xf32>
  %m = mote.where %c, %zero, %min : (tensor<256x256xi1>, tensor<f32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %a = mote.add %x, %min : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %m, %a : tensor<256x256xf32>, tensor<256x256xf32>
}

// -----

// The splat gives the result its rows (the other operand is one row): it stays. So does a small splat.
// CHECK-LABEL: func.func @keeps
// CHECK-DAG: mote.constant dense<1.000000e+00> : tensor<256x256xf32>
// CHECK-DAG: mote.constant dense<2.000000e+00> : tensor<64xf32>
func.func @keeps(%row: tensor<1x256xf32>, %v: tensor<64xf32>) -> (tensor<256x256xf32>, tensor<64xf32>) {
  %ones = mote.constant dense<1.0> : tensor<256x256xf32>
  %twos = mote.constant dense<2.0> : tensor<64xf32>
  %a = mote.mul %row, %ones : (tensor<1x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %b = mote.mul %v, %twos : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %a, %b : tensor<256x256xf32>, tensor<64xf32>
}

// -----

// A target whose elementwise ops do not broadcast keeps full-size operands.
// CHECK-LABEL: func.func @no_implicit_broadcast
// CHECK: mote.constant dense<1.000000e+00> : tensor<256x256xf32>
module attributes {mote.target = #mote.target<name = "hexagon", implicit_broadcast = false, activation_type = f32>} {
  func.func @no_implicit_broadcast(%x: tensor<256x256xf32>) -> tensor<256x256xf32> {
    %ones = mote.constant dense<1.0> : tensor<256x256xf32>
    %a = mote.add %x, %ones : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
    return %a : tensor<256x256xf32>
  }
}
