# The corpus Llama (llama.py, same weights) as a decoder with past keys and values in the Hugging Face
# optimum convention (with_past.py): for LLM generation with a KV cache.
import torch

import llama
import with_past

CONFIGS = llama.CONFIGS


class LlamaWithPast(with_past.WithPast):
    def __init__(self, base, n_heads, n_kv_heads, dim):
        super().__init__(len(base.layers), n_kv_heads, dim // n_heads, base.lm_head.out_features)
        self.base = base

    def step(self, input_ids, position_ids, mask, pasts):
        cos, sin = self.base.rotary_emb(position_ids)
        x = self.base.embed_tokens(input_ids)
        presents = []
        for layer, (past_k, past_v) in zip(self.base.layers, pasts):
            attn = layer.self_attn
            h = layer.input_layernorm(x)
            b, s, _ = h.shape
            q = attn.q_proj(h).reshape(b, s, attn.n_heads, attn.head_dim).transpose(1, 2)
            k = attn.k_proj(h).reshape(b, s, attn.n_kv_heads, attn.head_dim).transpose(1, 2)
            v = attn.v_proj(h).reshape(b, s, attn.n_kv_heads, attn.head_dim).transpose(1, 2)
            q = q * cos + llama.rotate_half(q) * sin
            k = k * cos + llama.rotate_half(k) * sin
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
            presents.append((k, v))
            n_rep = attn.n_heads // attn.n_kv_heads
            kr, vr = llama.repeat_kv(k, n_rep), llama.repeat_kv(v, n_rep)
            w = q @ kr.transpose(2, 3) / (attn.head_dim ** 0.5) + mask
            out = torch.softmax(w, dim=-1, dtype=torch.float32) @ vr
            out = out.transpose(1, 2).reshape(b, s, attn.n_heads * attn.head_dim)
            x = x + attn.o_proj(out)
            x = x + layer.mlp(layer.post_attention_layernorm(x))
        return self.base.lm_head(self.base.norm(x)), presents


def build(cfg):
    torch.manual_seed(0)
    base = llama.LlamaForCausalLM(**cfg).eval()
    return LlamaWithPast(base, cfg["n_heads"], cfg["n_kv_heads"], cfg["dim"]).eval(), base


make, reference_generation = with_past.entry_points(build, CONFIGS)
