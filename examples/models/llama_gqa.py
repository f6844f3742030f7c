# Llama-style decoder whose grouped-query attention repeats K/V heads with torch.repeat_interleave (as
# many community Llama/Mistral ports do) instead of expand + reshape (llama.py), for the Mote corpus.
#
# torch.onnx.export writes repeat_interleave as shape arithmetic on int64 tensors (ConstantOfShape, Mul,
# Equal, Where, Expand, Split, Concat) feeding the `shape` input of an Expand, which Mote must fold to
# import the model at all. The export is static: with dynamic axes torch 1.13 writes a Loop over
# SplitToSequence whose Reshape(0, -1, 0, 0) copies the wrong dimensions (ONNX Runtime and Mote agree
# the exported graph computes [1, 6, 2, 4] where eager PyTorch gives [1, 4, 3, 4] for a [1, 2, 3, 4]
# input), so that model is not what the module computes.
import torch

import llama

CONFIGS = {
    "tiny": dict(llama.CONFIGS["tiny"], n_heads=4, n_kv_heads=2, seq=12),
    "full": llama.CONFIGS["full"],
}


class RepeatInterleaveAttention(llama.LlamaAttention):
    def forward(self, x, cos, sin, mask):
        b, s, _ = x.shape
        q = self.q_proj(x).reshape(b, s, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).reshape(b, s, self.n_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).reshape(b, s, self.n_kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + llama.rotate_half(q) * sin
        k = k * cos + llama.rotate_half(k) * sin
        n_rep = self.n_heads // self.n_kv_heads
        k = torch.repeat_interleave(k, n_rep, dim=1)
        v = torch.repeat_interleave(v, n_rep, dim=1)
        w = q @ k.transpose(2, 3) / (self.head_dim ** 0.5) + mask
        out = torch.softmax(w, dim=-1, dtype=torch.float32) @ v
        out = out.transpose(1, 2).reshape(b, s, self.n_heads * self.head_dim)
        return self.o_proj(out)


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    cfg = CONFIGS[size]
    torch.manual_seed(0)
    model = llama.LlamaForCausalLM(**cfg).eval()
    for layer in model.layers:
        attn = RepeatInterleaveAttention(cfg["dim"], cfg["n_heads"], cfg["n_kv_heads"])
        attn.load_state_dict(layer.self_attn.state_dict())
        layer.self_attn = attn
    inputs = {"input_ids": torch.randint(0, cfg["vocab"], (cfg["batch"], cfg["seq"]), generator=gen)}
    return model, inputs, ["logits"], None
