#!/usr/bin/env python3
"""Exports the tiny corpus Llama with past (examples/models/llama_with_past.py) with the attention mask built
the way Hugging Face transformers builds it, not the corpus's way: a causal part triu(full(lowest), past + 1),
a padding part (1 - attention_mask) masked to the lowest float, their sum clamped to the lowest float (ONNX
Trilu, Clip, Sub, Where), at the given opset; writes OUT/model.onnx and OUT/generation.json (eager PyTorch's
greedy tokens after the corpus's seeded prompt, checked against the cacheless model at every step).

usage: make_with_past_variant.py OUT OPSET
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples", "models"))
import llama  # noqa: E402
import llama_with_past  # noqa: E402
import with_past  # noqa: E402


def hugging_face_mask(attention_mask, past, seq):
    total = past + seq
    lowest = torch.finfo(torch.float32).min
    causal = torch.triu(torch.full((seq, total), lowest), diagonal=past + 1)
    causal = causal[None, None].expand(attention_mask.shape[0], 1, seq, total)
    inverted = 1.0 - attention_mask[:, None, None, :].to(torch.float32)
    padding = inverted.masked_fill(inverted.to(torch.bool), lowest)
    return (causal + padding).clamp(min=lowest)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, opset = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    with_past.additive_mask = hugging_face_mask
    model, base = llama_with_past.build(llama.CONFIGS["tiny"])
    _, inputs, outputs, axes = with_past.make(model, base, torch.Generator().manual_seed(4321))
    torch.onnx.export(model, tuple(inputs.values()), os.path.join(out, "model.onnx"),
                      input_names=list(inputs.keys()), output_names=outputs, dynamic_axes=axes, opset_version=opset)
    generation = with_past.reference_generation(model, base, torch.Generator().manual_seed(4321))
    with open(os.path.join(out, "generation.json"), "w") as f:
        json.dump(generation, f)


if __name__ == "__main__":
    main()
