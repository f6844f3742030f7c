# Stable Diffusion UNet2DConditionModel (diffusers layout, re-implemented) for the Mote model corpus.
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # 1,576,756 parameters (~7 MB file): every structural feature of SD 1.5 at toy width.
    "tiny": dict(block_out_channels=(32, 48, 48, 64), layers_per_block=1, heads=2, cross_dim=32,
                 groups=8, sample=(1, 4, 16, 16), seq=8),
    # Stable Diffusion 1.5: 859,520,964 parameters.
    "full": dict(block_out_channels=(320, 640, 1280, 1280), layers_per_block=2, heads=8, cross_dim=768,
                 groups=32, sample=(1, 4, 64, 64), seq=77),
}


def timestep_embedding(timesteps, dim, max_period=10000):
    # diffusers get_timestep_embedding with flip_sin_to_cos=True, downscale_freq_shift=0.
    half = dim // 2
    exponent = -math.log(max_period) * torch.arange(half, dtype=torch.float32) / half
    emb = timesteps[:, None].float() * torch.exp(exponent)[None, :]
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
    return torch.cat([emb[:, half:], emb[:, :half]], dim=-1)


class TimestepEmbedding(nn.Module):
    def __init__(self, in_dim, dim):
        super().__init__()
        self.linear_1 = nn.Linear(in_dim, dim)
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, x):
        return self.linear_2(F.silu(self.linear_1(x)))


class ResnetBlock2D(nn.Module):
    def __init__(self, cin, cout, temb_dim, groups, eps=1e-5):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb_dim, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        if self.conv_shortcut is not None:
            x = self.conv_shortcut(x)
        return x + h


class Attention(nn.Module):
    def __init__(self, query_dim, heads, head_dim, context_dim=None):
        super().__init__()
        inner = heads * head_dim
        context_dim = context_dim or query_dim
        self.heads, self.scale = heads, head_dim ** -0.5
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim, inner, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(inner, query_dim)])

    def split_heads(self, t):
        b, s, c = t.shape
        return t.reshape(b, s, self.heads, c // self.heads).transpose(1, 2)

    def forward(self, x, context=None):
        context = x if context is None else context
        q = self.split_heads(self.to_q(x))
        k = self.split_heads(self.to_k(context))
        v = self.split_heads(self.to_v(context))
        attn = torch.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1)
        out = attn @ v
        b, h, s, d = out.shape
        out = out.transpose(1, 2).reshape(b, s, h * d)
        return self.to_out[0](out)


class GEGLU(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x):
        h, gate = self.proj(x).chunk(2, dim=-1)
        return h * F.gelu(gate)  # erf form


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        self.net = nn.ModuleList([GEGLU(dim, dim * mult), nn.Dropout(0.0), nn.Linear(dim * mult, dim)])

    def forward(self, x):
        for m in self.net:
            x = m(x)
        return x


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, head_dim, cross_dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn1 = Attention(dim, heads, head_dim)
        self.norm2 = nn.LayerNorm(dim)
        self.attn2 = Attention(dim, heads, head_dim, context_dim=cross_dim)
        self.norm3 = nn.LayerNorm(dim)
        self.ff = FeedForward(dim)

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff(self.norm3(x)) + x


class Transformer2DModel(nn.Module):
    # use_linear_projection=True (SD 2.x form): proj_in/proj_out are Linear over channels.
    def __init__(self, channels, heads, cross_dim, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=1e-6)
        self.proj_in = nn.Linear(channels, channels)
        self.transformer_blocks = nn.ModuleList(
            [BasicTransformerBlock(channels, heads, channels // heads, cross_dim)])
        self.proj_out = nn.Linear(channels, channels)

    def forward(self, x, context):
        b, c, h, w = x.shape
        residual = x
        x = self.norm(x).permute(0, 2, 3, 1).reshape(b, h * w, c)
        x = self.proj_in(x)
        for blk in self.transformer_blocks:
            x = blk(x, context)
        x = self.proj_out(x)
        x = x.reshape(b, h, w, c).permute(0, 3, 1, 2)
        return x + residual


class Downsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class DownBlock(nn.Module):
    # CrossAttnDownBlock2D when attn=True, DownBlock2D otherwise.
    def __init__(self, cin, cout, temb_dim, layers, attn, add_down, heads, cross_dim, groups):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock2D(cin if i == 0 else cout, cout, temb_dim, groups) for i in range(layers)])
        self.attentions = nn.ModuleList(
            [Transformer2DModel(cout, heads, cross_dim, groups) for _ in range(layers)]) if attn else None
        self.downsamplers = nn.ModuleList([Downsample2D(cout)]) if add_down else None

    def forward(self, x, temb, context):
        skips = []
        for i, resnet in enumerate(self.resnets):
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
            skips.append(x)
        if self.downsamplers is not None:
            x = self.downsamplers[0](x)
            skips.append(x)
        return x, skips


class UpBlock(nn.Module):
    # CrossAttnUpBlock2D when attn=True, UpBlock2D otherwise; layers+1 resnets eating skip connections.
    def __init__(self, cin, prev_out, cout, temb_dim, layers, attn, add_up, heads, cross_dim, groups):
        super().__init__()
        self.resnets = nn.ModuleList()
        for i in range(layers):
            skip_ch = cin if i == layers - 1 else cout
            res_in = prev_out if i == 0 else cout
            self.resnets.append(ResnetBlock2D(res_in + skip_ch, cout, temb_dim, groups))
        self.attentions = nn.ModuleList(
            [Transformer2DModel(cout, heads, cross_dim, groups) for _ in range(layers)]) if attn else None
        self.upsamplers = nn.ModuleList([Upsample2D(cout)]) if add_up else None

    def forward(self, x, skips, temb, context):
        for i, resnet in enumerate(self.resnets):
            x = torch.cat([x, skips.pop()], dim=1)
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x)
        return x


class UNetMidBlock2DCrossAttn(nn.Module):
    def __init__(self, ch, temb_dim, heads, cross_dim, groups):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, temb_dim, groups) for _ in range(2)])
        self.attentions = nn.ModuleList([Transformer2DModel(ch, heads, cross_dim, groups)])

    def forward(self, x, temb, context):
        x = self.resnets[0](x, temb)
        x = self.attentions[0](x, context)
        return self.resnets[1](x, temb)


class UNet2DConditionModel(nn.Module):
    def __init__(self, block_out_channels, layers_per_block, heads, cross_dim, groups, in_channels=4,
                 out_channels=4, **_):
        super().__init__()
        ch = block_out_channels
        self.time_dim = ch[0]
        temb_dim = ch[0] * 4
        n = len(ch)
        self.conv_in = nn.Conv2d(in_channels, ch[0], 3, padding=1)
        self.time_embedding = TimestepEmbedding(ch[0], temb_dim)
        # down: CrossAttnDownBlock2D x (n-1), then DownBlock2D (no downsample on the last block)
        self.down_blocks = nn.ModuleList()
        out = ch[0]
        for i in range(n):
            cin, out = out, ch[i]
            self.down_blocks.append(DownBlock(cin, out, temb_dim, layers_per_block, attn=i < n - 1,
                                              add_down=i < n - 1, heads=heads, cross_dim=cross_dim,
                                              groups=groups))
        self.mid_block = UNetMidBlock2DCrossAttn(ch[-1], temb_dim, heads, cross_dim, groups)
        # up: UpBlock2D, then CrossAttnUpBlock2D x (n-1)
        rev = list(reversed(ch))
        self.up_blocks = nn.ModuleList()
        out = rev[0]
        for i in range(n):
            prev, out = out, rev[i]
            cin = rev[min(i + 1, n - 1)]
            self.up_blocks.append(UpBlock(cin, prev, out, temb_dim, layers_per_block + 1, attn=i > 0,
                                          add_up=i < n - 1, heads=heads, cross_dim=cross_dim,
                                          groups=groups))
        self.conv_norm_out = nn.GroupNorm(groups, ch[0], eps=1e-5)
        self.conv_out = nn.Conv2d(ch[0], out_channels, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        temb = self.time_embedding(timestep_embedding(timestep, self.time_dim))
        x = self.conv_in(sample)
        skips = [x]
        for blk in self.down_blocks:
            x, s = blk(x, temb, encoder_hidden_states)
            skips += s
        x = self.mid_block(x, temb, encoder_hidden_states)
        for blk in self.up_blocks:
            n = len(blk.resnets)
            x = blk(x, skips[-n:], temb, encoder_hidden_states)
            del skips[-n:]
        return self.conv_out(F.silu(self.conv_norm_out(x)))


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    cfg = CONFIGS[size]
    torch.manual_seed(0)
    model = UNet2DConditionModel(**cfg).eval()
    b = cfg["sample"][0]
    inputs = OrderedDict(
        sample=torch.randn(*cfg["sample"], generator=gen),
        timestep=torch.randint(0, 1000, (b,), generator=gen).float(),
        encoder_hidden_states=torch.randn(b, cfg["seq"], cfg["cross_dim"], generator=gen),
    )
    dyn = {"sample": {0: "batch"}, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch"},
           "out_sample": {0: "batch"}}
    return model, inputs, ["out_sample"], dyn
