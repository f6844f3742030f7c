# Llama-style decoder (HF LlamaForCausalLM layout: RMSNorm, RoPE, GQA, SwiGLU; re-implemented) for the Mote model corpus.
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    "tiny": dict(dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn=64, vocab=1000, batch=1, seq=16),
    # ~1B class (TinyLlama-like widths, 16 layers, 8 kv heads): 852,559,872 parameters.
    "full": dict(dim=2048, n_layers=16, n_heads=32, n_kv_heads=8, ffn=5632, vocab=32000, batch=1, seq=128),
}


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(variance + self.eps) * self.weight


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        # position_ids [b, s] -> cos, sin [b, 1, s, head_dim]
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def repeat_kv(x, n_rep):
    b, kv, s, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, kv, n_rep, s, d).reshape(b, kv * n_rep, s, d)


class LlamaAttention(nn.Module):
    def __init__(self, dim, n_heads, n_kv_heads):
        super().__init__()
        self.n_heads, self.n_kv_heads, self.head_dim = n_heads, n_kv_heads, dim // n_heads
        self.q_proj = nn.Linear(dim, n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(n_heads * self.head_dim, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, s, _ = x.shape
        q = self.q_proj(x).reshape(b, s, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).reshape(b, s, self.n_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).reshape(b, s, self.n_kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        n_rep = self.n_heads // self.n_kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        w = q @ k.transpose(2, 3) / (self.head_dim ** 0.5) + mask
        out = torch.softmax(w, dim=-1, dtype=torch.float32) @ v
        out = out.transpose(1, 2).reshape(b, s, self.n_heads * self.head_dim)
        return self.o_proj(out)


class LlamaMLP(nn.Module):
    def __init__(self, dim, ffn):
        super().__init__()
        self.gate_proj = nn.Linear(dim, ffn, bias=False)
        self.up_proj = nn.Linear(dim, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, dim, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, dim, n_heads, n_kv_heads, ffn):
        super().__init__()
        self.input_layernorm = RMSNorm(dim)
        self.self_attn = LlamaAttention(dim, n_heads, n_kv_heads)
        self.post_attention_layernorm = RMSNorm(dim)
        self.mlp = LlamaMLP(dim, ffn)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaForCausalLM(nn.Module):
    def __init__(self, dim, n_layers, n_heads, n_kv_heads, ffn, vocab, **_):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, dim)
        self.rotary_emb = RotaryEmbedding(dim // n_heads)
        self.layers = nn.ModuleList([LlamaDecoderLayer(dim, n_heads, n_kv_heads, ffn) for _ in range(n_layers)])
        self.norm = RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids):
        b, s = input_ids.shape
        position_ids = torch.arange(s, dtype=torch.long)[None, :].expand(b, s)
        cos, sin = self.rotary_emb(position_ids)
        # HF-style causal mask: lowest float where key position > query position.
        mask = torch.full((s, s), torch.finfo(torch.float32).min)
        idx = torch.arange(s)
        mask = mask.masked_fill(idx[None, :] <= idx[:, None], 0.0)[None, None]
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    cfg = CONFIGS[size]
    torch.manual_seed(0)
    model = LlamaForCausalLM(**cfg).eval()
    inputs = OrderedDict(input_ids=torch.randint(0, cfg["vocab"], (cfg["batch"], cfg["seq"]), generator=gen))
    dyn = {"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    return model, inputs, ["logits"], dyn
