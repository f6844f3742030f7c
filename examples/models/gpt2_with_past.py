# The corpus GPT-2 (gpt2.py's weights, token embeddings scaled: see build()) as a decoder with past keys and values in the Hugging Face
# optimum convention (with_past.py): for LLM generation with a KV cache.
import math

import torch

import gpt2
import with_past

CONFIGS = gpt2.CONFIGS


class GPT2WithPast(with_past.WithPast):
    def __init__(self, base, n_embd, n_head):
        super().__init__(len(base.h), n_head, n_embd // n_head, base.lm_head.out_features)
        self.base = base

    def step(self, input_ids, position_ids, mask, pasts):
        x = self.base.wte(input_ids) + self.base.wpe(position_ids)
        presents = []
        for blk, (past_k, past_v) in zip(self.base.h, pasts):
            attn = blk.attn
            h = blk.ln_1(x)
            q, k, v = attn.c_attn(h).split(h.shape[-1], dim=2)
            q, k, v = attn.split_heads(q), attn.split_heads(k), attn.split_heads(v)
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
            presents.append((k, v))
            w = q @ k.transpose(-1, -2) / math.sqrt(attn.head_dim) + mask
            out = torch.softmax(w, dim=-1) @ v
            b, heads, s, d = out.shape
            out = out.permute(0, 2, 1, 3).reshape(b, s, heads * d)
            x = x + attn.c_proj(out)
            x = x + blk.mlp(blk.ln_2(x))
        return self.base.lm_head(self.base.ln_f(x)), presents


def build(cfg):
    torch.manual_seed(0)
    base = gpt2.GPT2LMHeadModel(**cfg).eval()
    # gpt2.py's token embeddings (N(0, 1), tied to the LM head) dominate its residual stream: greedy decoding
    # repeats the last token forever, which would hide a cache that returns stale keys. A tenth of them (the
    # blocks' outputs then matter) gives a varied greedy sequence.
    with torch.no_grad():
        base.wte.weight.mul_(0.1)
    return GPT2WithPast(base, cfg["n_embd"], cfg["n_head"]).eval(), base


make, reference_generation = with_past.entry_points(build, CONFIGS)
