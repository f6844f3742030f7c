# Stable Diffusion VAE decoder (diffusers AutoencoderKL.decode layout, re-implemented) for the Mote model corpus.
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    "tiny": dict(block_out_channels=(32, 32, 64, 64), layers_per_block=1, groups=8, latent=(1, 4, 8, 8)),
    # SD 1.x/2.x VAE: decoder + post_quant_conv = 49,490,199 parameters.
    "full": dict(block_out_channels=(128, 256, 512, 512), layers_per_block=2, groups=32,
                 latent=(1, 4, 64, 64)),
}


class ResnetBlock2D(nn.Module):
    # temb-less resnet (temb_channels=None), eps 1e-6 as in the VAE.
    def __init__(self, cin, cout, groups, eps=1e-6):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        if self.conv_shortcut is not None:
            x = self.conv_shortcut(x)
        return x + h


class Attention(nn.Module):
    # Single-head spatial self-attention with its own GroupNorm and residual connection.
    def __init__(self, ch, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, ch, eps=1e-6)
        self.to_q = nn.Linear(ch, ch)
        self.to_k = nn.Linear(ch, ch)
        self.to_v = nn.Linear(ch, ch)
        self.to_out = nn.ModuleList([nn.Linear(ch, ch)])
        self.scale = ch ** -0.5

    def forward(self, x):
        residual = x
        b, c, h, w = x.shape
        x = self.group_norm(x).reshape(b, c, h * w).transpose(1, 2)
        q, k, v = self.to_q(x), self.to_k(x), self.to_v(x)
        attn = torch.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1)
        out = self.to_out[0](attn @ v)
        out = out.transpose(1, 2).reshape(b, c, h, w)
        return out + residual


class UNetMidBlock2D(nn.Module):
    def __init__(self, ch, groups):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, groups) for _ in range(2)])
        self.attentions = nn.ModuleList([Attention(ch, groups)])

    def forward(self, x):
        return self.resnets[1](self.attentions[0](self.resnets[0](x)))


class Upsample2D(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class UpDecoderBlock2D(nn.Module):
    def __init__(self, cin, cout, layers, add_up, groups):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock2D(cin if i == 0 else cout, cout, groups) for i in range(layers)])
        self.upsamplers = nn.ModuleList([Upsample2D(cout)]) if add_up else None

    def forward(self, x):
        for r in self.resnets:
            x = r(x)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x)
        return x


class VAEDecoder(nn.Module):
    def __init__(self, block_out_channels, layers_per_block, groups, latent_channels=4, out_channels=3, **_):
        super().__init__()
        rev = list(reversed(block_out_channels))
        self.post_quant_conv = nn.Conv2d(latent_channels, latent_channels, 1)
        self.conv_in = nn.Conv2d(latent_channels, rev[0], 3, padding=1)
        self.mid_block = UNetMidBlock2D(rev[0], groups)
        self.up_blocks = nn.ModuleList()
        out = rev[0]
        for i, ch in enumerate(rev):
            prev, out = out, ch
            self.up_blocks.append(UpDecoderBlock2D(prev, out, layers_per_block + 1,
                                                   add_up=i < len(rev) - 1, groups=groups))
        self.conv_norm_out = nn.GroupNorm(groups, rev[-1], eps=1e-6)
        self.conv_out = nn.Conv2d(rev[-1], out_channels, 3, padding=1)

    def forward(self, latent):
        x = self.conv_in(self.post_quant_conv(latent))
        x = self.mid_block(x)
        for blk in self.up_blocks:
            x = blk(x)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    return make_config(CONFIGS[size], gen)


def make_config(cfg, gen):
    """make() for a configuration of CONFIGS' form."""
    torch.manual_seed(0)
    model = VAEDecoder(**cfg).eval()
    inputs = OrderedDict(latent_sample=torch.randn(*cfg["latent"], generator=gen))
    dyn = {"latent_sample": {0: "batch"}, "sample": {0: "batch"}}
    return model, inputs, ["sample"], dyn
