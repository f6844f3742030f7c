# A draft model for speculative decoding with the corpus Llama (llama_with_past.py): the target's first
# layers with its embeddings, final norm and LM head (a LayerSkip-style self-speculative draft: the same
# vocabulary, a fraction of the target's cost, and proposals the target often accepts), with past keys and
# values. tiny: the first of 2 layers; full: the first 2 of 16 (~235M parameters with the tied-size embedding
# and head, against the ~1B target).
import llama
import llama_with_past
import torch
import with_past

DRAFT_LAYERS = {"tiny": 1, "full": 2}
CONFIGS = {size: dict(llama.CONFIGS[size], draft_layers=n) for size, n in DRAFT_LAYERS.items()}


def build(cfg):
    cfg = dict(cfg)
    n = cfg.pop("draft_layers")
    torch.manual_seed(0)  # the target's weights (llama_with_past.build)
    base = llama.LlamaForCausalLM(**cfg).eval()
    base.layers = base.layers[:n]
    return llama_with_past.LlamaWithPast(base, cfg["n_heads"], cfg["n_kv_heads"], cfg["dim"]).eval(), base


make, reference_generation = with_past.entry_points(build, CONFIGS)
