# The U-Net (unet.py) with its timestep given as int64, as Hugging Face optimum exports diffusers' U-Nets: the
# graph casts it to float before the time embedding's sines and cosines (`timesteps[:, None].float()`), for the
# Mote corpus. A target that computes the embedding in integers must read the int64 as it is.
import unet

CONFIGS = unet.CONFIGS


def make(size, gen):
    """Returns (model, OrderedDict of example inputs, output names, dynamic_axes)."""
    model, inputs, outputs, dyn = unet.make(size, gen)
    inputs["timestep"] = inputs["timestep"].long()
    return model, inputs, outputs, dyn
