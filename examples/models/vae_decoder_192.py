# The tiny Stable Diffusion VAE decoder (vae_decoder.py) decoding a 24x24 latent into a 192x192 image, for the
# Mote corpus (full size: the SD VAE at 256 px, a 32x32 latent). Its last group norms normalize rows of
# 4 * 192 * 192 = 147,456 values, longer than any other corpus model's (the full VAE's are 262,144 at 256 px,
# 1,048,576 at 512 px): a target's fixed-point normalization must hold such rows exactly.
import vae_decoder

CONFIGS = {
    "tiny": dict(vae_decoder.CONFIGS["tiny"], latent=(1, 4, 24, 24)),
    "full": dict(vae_decoder.CONFIGS["full"], latent=(1, 4, 32, 32)),
}


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    return vae_decoder.make_config(CONFIGS[size], gen)
