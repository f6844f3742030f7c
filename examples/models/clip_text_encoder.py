# CLIP text transformer (HF CLIPTextModel layout, re-implemented) for the Mote model corpus.
from collections import OrderedDict

import torch
import torch.nn as nn

CONFIGS = {
    "tiny": dict(width=32, layers=2, heads=2, vocab=1000, max_pos=77, batch=2, seq=16),
    # SD 1.x text encoder (openai/clip-vit-large-patch14 text tower): 123,060,480 parameters.
    "full": dict(width=768, layers=12, heads=12, vocab=49408, max_pos=77, batch=1, seq=77),
}


class CLIPAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads, self.head_dim = heads, width // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def split_heads(self, t, b, s):
        return t.reshape(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, causal_mask):
        b, s, c = x.shape
        q = self.split_heads(self.q_proj(x) * self.scale, b, s)
        k = self.split_heads(self.k_proj(x), b, s)
        v = self.split_heads(self.v_proj(x), b, s)
        attn = torch.softmax(q @ k.transpose(-1, -2) + causal_mask, dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, s, c)
        return self.out_proj(out)


class CLIPMLP(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = nn.Linear(width, width * 4)
        self.fc2 = nn.Linear(width * 4, width)

    def forward(self, x):
        x = self.fc1(x)
        x = x * torch.sigmoid(1.702 * x)  # quick_gelu
        return self.fc2(x)


class CLIPEncoderLayer(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width)
        self.self_attn = CLIPAttention(width, heads)
        self.layer_norm2 = nn.LayerNorm(width)
        self.mlp = CLIPMLP(width)

    def forward(self, x, causal_mask):
        x = x + self.self_attn(self.layer_norm1(x), causal_mask)
        return x + self.mlp(self.layer_norm2(x))


class CLIPTextTransformer(nn.Module):
    def __init__(self, width, layers, heads, vocab, max_pos, **_):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.position_embedding = nn.Embedding(max_pos, width)
        self.register_buffer("position_ids", torch.arange(max_pos)[None, :], persistent=False)
        self.layers = nn.ModuleList([CLIPEncoderLayer(width, heads) for _ in range(layers)])
        self.final_layer_norm = nn.LayerNorm(width)

    def forward(self, input_ids):
        b, s = input_ids.shape
        x = self.token_embedding(input_ids) + self.position_embedding(self.position_ids[:, :s])
        # HF _build_causal_attention_mask: lowest float above the diagonal, 0 elsewhere -> [b, 1, s, s].
        mask = torch.full((b, s, s), torch.finfo(torch.float32).min).triu(1).unsqueeze(1)
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_layer_norm(x)
        # EOS token has the highest id: pool its hidden state.
        pooled = x[torch.arange(b), input_ids.argmax(dim=-1)]
        return x, pooled


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    cfg = CONFIGS[size]
    torch.manual_seed(0)
    model = CLIPTextTransformer(**cfg).eval()
    inputs = OrderedDict(input_ids=torch.randint(0, cfg["vocab"], (cfg["batch"], cfg["seq"]), generator=gen))
    dyn = {"input_ids": {0: "batch", 1: "sequence"},
           "last_hidden_state": {0: "batch", 1: "sequence"},
           "pooler_output": {0: "batch"}}
    return model, inputs, ["last_hidden_state", "pooler_output"], dyn
