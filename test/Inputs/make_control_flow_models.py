#!/usr/bin/env python3
"""Writes models with ONNX control flow and sequences, as exporters emit them, each with one seeded input
in the ONNX backend-test layout (OUT/<name>/model.onnx, OUT/<name>/test_data_set_0/input_0.pb); the
expected outputs come from ONNX Runtime (the test runs it), not from this script.

    loop_sequence     SplitToSequence -> Loop { SequenceAt, Mul by the iteration number, SequenceInsert at
                      the front; a scan output } -> ConcatFromSequence (new_axis), SequenceErase,
                      SequenceLength, SequenceConstruct; the trip count comes from Shape.
    loop_while        a Loop without a trip count whose body computes the condition (i < 4) and carries a
                      tensor (acc = 2 * acc + x).
    if_shape          If on a condition computed from the input's shape; the branch reads an outer value.
    repeat_interleave torch.repeat_interleave(x, 2, dim=1) exported by torch.onnx.export with dynamic axes
                      (SplitToSequence + Loop + ConcatFromSequence), when torch is installed.
  Invalid (no test data): loop_huge (trip count 10^12), loop_data_condition (a condition that depends on
  the input), sequence_at_out_of_range.

usage: make_control_flow_models.py OUT
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def const(name, value, dtype=np.int64):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array(value, dtype=dtype)))


def write(out, name, graph, x=None):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mote-test")
    onnx.checker.check_model(model)
    folder = os.path.join(out, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    if x is not None:
        onnx.save_tensor(numpy_helper.from_array(x, "x"), os.path.join(folder, "test_data_set_0", "input_0.pb"))


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def loop_sequence(out, rng):
    body = helper.make_graph(
        [helper.make_node("SequenceAt", ["pieces", "i"], ["t"]),
         helper.make_node("Cast", ["i"], ["fi"], to=TensorProto.FLOAT),
         const("one", 1.0, np.float32),
         helper.make_node("Add", ["fi", "one"], ["scale"]),
         helper.make_node("Mul", ["t", "scale"], ["u"]),
         const("front", 0),
         helper.make_node("SequenceInsert", ["seq_in", "u", "front"], ["seq_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Neg", ["t"], ["scan"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_sequence_value_info("seq_in", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_sequence_value_info("seq_out", TensorProto.FLOAT, None),
         f32("scan", ["n", 5])])
    nodes = [
        helper.make_node("SplitToSequence", ["x"], ["pieces"], axis=1, keepdims=0),
        helper.make_node("Shape", ["x"], ["shape"]),
        const("axis1", 1),
        helper.make_node("Gather", ["shape", "axis1"], ["trips"]),
        const("true", True, np.bool_),
        helper.make_node("SequenceEmpty", [], ["empty"], dtype=TensorProto.FLOAT),
        helper.make_node("Loop", ["trips", "true", "empty"], ["reversed", "scans"], body=body),
        helper.make_node("ConcatFromSequence", ["reversed"], ["stacked"], axis=1, new_axis=1),
        const("last", -1),
        helper.make_node("SequenceErase", ["reversed", "last"], ["fewer"]),
        helper.make_node("ConcatFromSequence", ["fewer"], ["joined"], axis=-1),
        helper.make_node("SequenceLength", ["fewer"], ["count"]),
        helper.make_node("Cast", ["count"], ["fcount"], to=TensorProto.FLOAT),
        helper.make_node("SequenceConstruct", ["x", "x"], ["pair"]),
        helper.make_node("ConcatFromSequence", ["pair"], ["doubled"], axis=0),
        helper.make_node("Mul", ["doubled", "fcount"], ["counted"]),
    ]
    graph = helper.make_graph(nodes, "loop_sequence", [f32("x", ["n", 3, 5])],
                              [f32("stacked", ["n", 3, 5]), f32("scans", [3, "n", 5]), f32("joined", ["n", 10]),
                               f32("counted", ["m", 3, 5])])
    write(out, "loop_sequence", graph, rng.standard_normal((2, 3, 5)).astype(np.float32))


def loop_while(out, rng):
    body = helper.make_graph(
        [const("two", 2.0, np.float32),
         helper.make_node("Mul", ["acc_in", "two"], ["twice"]),
         helper.make_node("Add", ["twice", "x"], ["acc_out"]),
         const("four", 4),
         helper.make_node("Less", ["i", "four"], ["cond_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         f32("acc_in", [2, 3])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), f32("acc_out", [2, 3])])
    nodes = [const("true", True, np.bool_), const("zero", np.zeros((2, 3)), np.float32),
             helper.make_node("Loop", ["", "true", "zero"], ["acc"], body=body)]
    graph = helper.make_graph(nodes, "loop_while", [f32("x", [2, 3])], [f32("acc", [2, 3])])
    write(out, "loop_while", graph, rng.standard_normal((2, 3)).astype(np.float32))


def if_shape(out, rng):
    then_branch = helper.make_graph([const("k", 3.0, np.float32), helper.make_node("Mul", ["x", "k"], ["y_then"])],
                                    "then", [], [f32("y_then", ["n", 4])])
    else_branch = helper.make_graph([helper.make_node("Neg", ["x"], ["y_else"])], "else", [], [f32("y_else", ["n", 4])])
    nodes = [helper.make_node("Shape", ["x"], ["shape"]), const("zero", 0),
             helper.make_node("Gather", ["shape", "zero"], ["rows"]), const("two", 2),
             helper.make_node("Greater", ["rows", "two"], ["wide"]),
             helper.make_node("If", ["wide"], ["y"], then_branch=then_branch, else_branch=else_branch)]
    graph = helper.make_graph(nodes, "if_shape", [f32("x", ["n", 4])], [f32("y", ["n", 4])])
    write(out, "if_shape", graph, rng.standard_normal((3, 4)).astype(np.float32))


def invalid(out):
    def counting_body():
        return helper.make_graph(
            [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Neg", ["v_in"], ["v_out"])],
            "body",
            [helper.make_tensor_value_info("i", TensorProto.INT64, []),
             helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []), f32("v_in", [2])],
            [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), f32("v_out", [2])])
    huge = [const("trips", 10 ** 12), const("true", True, np.bool_),
            helper.make_node("Loop", ["trips", "true", "x"], ["y"], body=counting_body(), name="huge_loop")]
    write(out, "loop_huge", helper.make_graph(huge, "loop_huge", [f32("x", [2])], [f32("y", [2])]))
    data = [const("trips", 3), const("zero", 0.0, np.float32), helper.make_node("ReduceSum", ["x"], ["s"]),
            helper.make_node("Greater", ["s", "zero"], ["positive"]),
            helper.make_node("Loop", ["trips", "positive", "x"], ["y"], body=counting_body(), name="data_loop")]
    write(out, "loop_data_condition", helper.make_graph(data, "loop_data_condition", [f32("x", [2])], [f32("y", [2])]))
    at = [helper.make_node("SplitToSequence", ["x"], ["pieces"], axis=0), const("five", 5),
          helper.make_node("SequenceAt", ["pieces", "five"], ["y"], name="far_at")]
    write(out, "sequence_at_out_of_range",
          helper.make_graph(at, "sequence_at_out_of_range", [f32("x", [2, 3])], [f32("y", [1, 3])]))


def repeat_interleave(out, rng):
    try:
        import torch
    except ImportError:
        print("make_control_flow_models: torch is not installed; skipping repeat_interleave", file=sys.stderr)
        return

    class RepeatInterleave(torch.nn.Module):
        def forward(self, x):
            return torch.repeat_interleave(x, 2, dim=1)

    folder = os.path.join(out, "repeat_interleave")
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    x = rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
    torch.onnx.export(RepeatInterleave(), (torch.from_numpy(x),), os.path.join(folder, "model.onnx"),
                      opset_version=OPSET, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch", 2: "sequence"}})
    onnx.save_tensor(numpy_helper.from_array(x, "x"), os.path.join(folder, "test_data_set_0", "input_0.pb"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    rng = np.random.default_rng(7)
    loop_sequence(out, rng)
    loop_while(out, rng)
    if_shape(out, rng)
    invalid(out)
    repeat_interleave(out, rng)


if __name__ == "__main__":
    main()
