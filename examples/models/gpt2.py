# GPT-2 language model (HF GPT2LMHeadModel layout, re-implemented) for the Mote model corpus.
import math
from collections import OrderedDict

import torch
import torch.nn as nn

CONFIGS = {
    "tiny": dict(n_embd=32, n_layer=2, n_head=2, vocab=1000, n_positions=64, batch=1, seq=16),
    # GPT-2 small: 124,439,808 parameters (lm_head tied to wte).
    "full": dict(n_embd=768, n_layer=12, n_head=12, vocab=50257, n_positions=1024, batch=1, seq=128),
}


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self, n_embd, n_head, n_positions):
        super().__init__()
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.register_buffer("bias", torch.tril(torch.ones(n_positions, n_positions, dtype=torch.bool))
                             .view(1, 1, n_positions, n_positions), persistent=False)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)  # HF uses Conv1D (transposed Linear)
        self.c_proj = nn.Linear(n_embd, n_embd)

    def split_heads(self, t):
        b, s, c = t.shape
        return t.reshape(b, s, self.n_head, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x):
        q, k, v = self.c_attn(x).split(x.shape[-1], dim=2)
        q, k, v = self.split_heads(q), self.split_heads(k), self.split_heads(v)
        w = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        s = q.shape[-2]
        causal = self.bias[:, :, :s, :s]
        w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype))
        out = torch.softmax(w, dim=-1) @ v
        b, h, s, d = out.shape
        out = out.permute(0, 2, 1, 3).reshape(b, s, h * d)
        return self.c_proj(out)


class GPT2MLP(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.c_proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class GPT2Block(nn.Module):
    def __init__(self, n_embd, n_head, n_positions):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, eps=1e-5)
        self.attn = GPT2Attention(n_embd, n_head, n_positions)
        self.ln_2 = nn.LayerNorm(n_embd, eps=1e-5)
        self.mlp = GPT2MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, n_embd, n_layer, n_head, vocab, n_positions, **_):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(n_positions, n_embd)
        self.h = nn.ModuleList([GPT2Block(n_embd, n_head, n_positions) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd, eps=1e-5)
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied

    def forward(self, input_ids):
        s = input_ids.shape[1]
        position_ids = torch.arange(s, dtype=torch.long).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(position_ids)
        for blk in self.h:
            x = blk(x)
        return self.lm_head(self.ln_f(x))


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    cfg = CONFIGS[size]
    torch.manual_seed(0)
    model = GPT2LMHeadModel(**cfg).eval()
    inputs = OrderedDict(input_ids=torch.randint(0, cfg["vocab"], (cfg["batch"], cfg["seq"]), generator=gen))
    dyn = {"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    return model, inputs, ["logits"], dyn
