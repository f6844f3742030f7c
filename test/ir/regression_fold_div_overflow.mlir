// Regression: INT64_MIN / -1 is not folded (it crashed mote-opt with SIGFPE); it is left to run time.
// RUN: mote-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @div_int64_min_by_minus_one
// CHECK: return
func.func @div_int64_min_by_minus_one() -> tensor<1xi64> {
  %a = mote.constant dense<[-9223372036854775808]> : tensor<1xi64>
  %b = mote.constant dense<[-1]> : tensor<1xi64>
  %0 = mote.div %a, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}
