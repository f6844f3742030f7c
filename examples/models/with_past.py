# Decoder-with-past exports in the Hugging Face optimum convention, shared by gpt2_with_past.py,
# llama_with_past.py and llama_draft_with_past.py.
#
# Inputs: input_ids [batch, sequence], attention_mask [batch, past + sequence] (1 = a real token),
# position_ids [batch, sequence], past_key_values.{i}.key / .value [batch, kv_heads, past, head_dim].
# Outputs: logits [batch, sequence, vocab], present.{i}.key / .value [batch, kv_heads, past + sequence,
# head_dim] = the past followed by this call's keys and values.
#
# make() returns one decode step after a prefill of a seeded prompt (the step's past is the prefill's
# present), so test_data_set_0 holds what a generation loop really feeds the model; reference_generation()
# gives eager PyTorch's greedy tokens for the model's test prompt, checked against a full recompute of the
# cacheless model at every step.
from collections import OrderedDict

import torch

PROMPT_LENGTH = 8
NEW_TOKENS = 24


def additive_mask(attention_mask, past, seq):
    """[batch, 1, seq, past + seq]: 0 where query s may see key j (j <= past + s and attention_mask[b, j] = 1),
    the lowest float elsewhere (as Hugging Face builds it)."""
    total = past + seq
    j = torch.arange(total)[None, :]
    s = torch.arange(seq)[:, None] + past
    allowed = (j <= s)[None, None] & (attention_mask[:, None, None, :] == 1)
    return torch.where(allowed, torch.tensor(0.0), torch.tensor(torch.finfo(torch.float32).min))


class WithPast(torch.nn.Module):
    """forward(input_ids, attention_mask, position_ids, *past) -> (logits, *present) over a model-specific
    `step(input_ids, position_ids, mask, pasts) -> (logits, presents)`; pasts and presents are (key, value)
    pairs, one per layer."""

    def __init__(self, n_layers, kv_heads, head_dim, vocab):
        super().__init__()
        self.n_layers, self.kv_heads, self.head_dim, self.vocab = n_layers, kv_heads, head_dim, vocab

    def forward(self, input_ids, attention_mask, position_ids, *past):
        seq = input_ids.shape[1]
        past_len = past[0].shape[2]
        mask = additive_mask(attention_mask, past_len, seq)
        pasts = [(past[2 * i], past[2 * i + 1]) for i in range(self.n_layers)]
        logits, presents = self.step(input_ids, position_ids, mask, pasts)
        return (logits,) + tuple(t for kv in presents for t in kv)

    def names(self):
        past = [f"past_key_values.{i}.{kind}" for i in range(self.n_layers) for kind in ("key", "value")]
        present = [f"present.{i}.{kind}" for i in range(self.n_layers) for kind in ("key", "value")]
        return ["input_ids", "attention_mask", "position_ids"] + past, ["logits"] + present

    def empty_past(self, batch=1):
        return [torch.zeros(batch, self.kv_heads, 0, self.head_dim) for _ in range(2 * self.n_layers)]

    def call(self, ids, past):
        """One call on `ids` [1, S] after `past` (flat list of tensors): (logits, presents)."""
        past_len = past[0].shape[2]
        seq = ids.shape[1]
        attention_mask = torch.ones(1, past_len + seq, dtype=torch.long)
        position_ids = torch.arange(past_len, past_len + seq)[None, :]
        out = self(ids, attention_mask, position_ids, *past)
        return out[0], list(out[1:])

    def step_inputs(self, prompt):
        """The inputs of the first decode step after prefilling `prompt` [1, P]."""
        with torch.no_grad():
            logits, present = self.call(prompt, self.empty_past())
        token = logits[:, -1].argmax(-1, keepdim=True)
        past_len = prompt.shape[1]
        inputs = OrderedDict(input_ids=token, attention_mask=torch.ones(1, past_len + 1, dtype=torch.long),
                             position_ids=torch.tensor([[past_len]]))
        for name, t in zip(self.names()[0][3:], present):
            inputs[name] = t
        return inputs


def dynamic_axes(model):
    inputs, outputs = model.names()
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total_sequence"},
            "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for name in inputs[3:]:
        axes[name] = {0: "batch", 2: "past_sequence"}
    for name in outputs[1:]:
        axes[name] = {0: "batch", 2: "total_sequence"}
    return axes


def make(model, cacheless, gen):
    """(model, decode-step inputs, output names, dynamic axes) for export.py; the prompt drawn from `gen`.
    `cacheless(input_ids) -> logits` is the corpus model the with-past one re-implements (same weights)."""
    prompt = torch.randint(0, model.vocab, (1, PROMPT_LENGTH), generator=gen)
    with torch.no_grad():
        check = cacheless(prompt)
        logits, _ = model.call(prompt, model.empty_past())
    if not torch.allclose(check, logits, rtol=1e-4, atol=1e-5):
        raise RuntimeError("the with-past model's prefill differs from the cacheless model")
    return model, model.step_inputs(prompt), model.names()[1], dynamic_axes(model)


def reference_generation(model, cacheless, gen):
    """Greedy generation of NEW_TOKENS after a seeded prompt: prefill, then one token per call with the
    cache; each step's token checked against argmax of the cacheless model over the whole sequence."""
    prompt = torch.randint(0, model.vocab, (1, PROMPT_LENGTH), generator=gen)
    tokens = prompt
    past = model.empty_past()
    ids = prompt
    generated, margins = [], []
    with torch.no_grad():
        for _ in range(NEW_TOKENS):
            logits, past = model.call(ids, past)
            last = logits[0, -1]
            token = int(last.argmax())
            full = cacheless(tokens)[0, -1]
            if int(full.argmax()) != token:
                raise RuntimeError("greedy with the cache differs from the cacheless model")
            top2 = torch.topk(last, 2).values
            margins.append(float(top2[0] - top2[1]))
            generated.append(token)
            ids = torch.tensor([[token]])
            tokens = torch.cat([tokens, ids], dim=1)
    return {"prompt_ids": prompt[0].tolist(), "generated_ids": generated,
            "min_top2_margin": min(margins)}


def entry_points(build, configs):
    """export.py's make(size, gen) and reference_generation(size, gen) for a module whose build(config) returns
    (the with-past model, the cacheless corpus model it re-implements)."""
    def make_for(size, gen):
        model, base = build(configs[size])
        return make(model, base, gen)

    def generation_for(size, gen):
        model, base = build(configs[size])
        return reference_generation(model, base, gen)

    return make_for, generation_for
