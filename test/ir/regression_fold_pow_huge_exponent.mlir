// Regression: an integer pow with a huge constant exponent folds in logarithmic time (it hung the
// compiler); `timeout` turns a hang into a failure.
// RUN: timeout 5 mote-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @pow_huge_exponent
// CHECK: return
func.func @pow_huge_exponent() -> tensor<1xi64> {
  %a = mote.constant dense<[1]> : tensor<1xi64>
  %b = mote.constant dense<[9223372036854775807]> : tensor<1xi64>
  %0 = mote.pow %a, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}
