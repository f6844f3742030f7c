# A small draft model for speculative decoding with the corpus Llama (llama_with_past.py): the same
# architecture and vocabulary, one layer and narrower (its own random weights), with past keys and values.
import llama
import llama_with_past
import with_past

CONFIGS = {
    "tiny": dict(llama.CONFIGS["tiny"], dim=16, n_layers=1, n_heads=2, n_kv_heads=1, ffn=32),
    # ~115M class (the seeds' Llama draft size): 4 layers of 768 over the same 32,000-token vocabulary.
    "full": dict(llama.CONFIGS["full"], dim=768, n_layers=4, n_heads=12, n_kv_heads=4, ffn=2048),
}

make, reference_generation = with_past.entry_points(llama_with_past.build, CONFIGS)
