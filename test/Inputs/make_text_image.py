"""Writes a synthetic page of text for an OCR detector: lines of 10x14 glyphs made of random strokes, dark on
white, normalized as PaddleOCR's detectors expect (ImageNet mean and std, NCHW), as input_0.pb in OUT_DIR.
A detector finds text in it (PP-OCRv4's probability map exceeds 0.3 on ~15% of the pixels), where random
noise gives a map near 0 everywhere and a comparison that proves little.

usage: make_text_image.py OUT_DIR [--size=320] [--seed=7]
"""
import argparse
import os

import numpy as np
from onnx import numpy_helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--size", type=int, default=320)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    n = a.size
    img = np.full((n, n, 3), 255.0, np.float32)
    for y0 in range(20, n - 20, 36):
        x = 16 + int(rng.integers(0, 30))
        while x < n - 30:
            for _ in range(int(rng.integers(2, 7))):
                if x > n - 20:
                    break
                glyph = np.zeros((14, 10), bool)
                for _ in range(3):
                    if rng.random() < 0.5:
                        glyph[rng.integers(0, 14), :] = True
                    else:
                        glyph[:, rng.integers(0, 10)] = True
                glyph[:, :2] |= rng.random() < 0.3
                img[y0:y0 + 14, x:x + 10][glyph] = 20.0
                x += 12
            x += 14
    x = img / 255.0
    x = (x - np.array([0.485, 0.456, 0.406], np.float32)) / np.array([0.229, 0.224, 0.225], np.float32)
    x = x.transpose(2, 0, 1)[None].astype(np.float32)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())


if __name__ == "__main__":
    main()
