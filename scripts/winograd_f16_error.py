#!/usr/bin/env python3
"""Rounding error of 3x3 convolutions computed in f16, simulated with numpy against double.

Why runtime/neon/WinogradF16.cpp is F(2x2, 3x3) and the f32 kernel's F(4x4, 3x3) has no f16 twin
(runtime/neon/Conv3x3F16.h cites these figures). Each scheme sees the f16 input and f16 weights the kernels
see; products accumulate in f16 one term at a time (as `fmla .8h`, rounded after every addition):
  direct   the 9 Cin products of each output summed in f16 (conv3x3F16's GEMM over the taps);
  F(m, 3)  V = B^T d B and U = G g G^T rounded to f16 once, M = sum over Cin of V U in f16, Y = A^T M A
           in double (the best case for the output transform).
Prints, per input channel count, the largest error over 24 tiles and 16 output channels divided by the
largest output magnitude (peak-relative, as test/targets/neon/f16_corpus.test measures).
Usage: python3 scripts/winograd_f16_error.py   (numpy only; about a minute)
"""
from fractions import Fraction

import numpy as np

F16 = np.float16


def toom_cook(m, r, points):
    """A^T (m x n), G (n x r), B^T (n x n) of F(m, r) for the n - 1 finite interpolation points and infinity."""
    n = m + r - 1
    a = [Fraction(p) for p in points]

    def mul(p, q):
        out = [Fraction(0)] * (len(p) + len(q) - 1)
        for i, x in enumerate(p):
            for j, y in enumerate(q):
                out[i + j] += x * y
        return out

    A = [[a[i] ** j for j in range(m)] for i in range(n - 1)] + [[Fraction(0)] * (m - 1) + [Fraction(1)]]
    G = []
    for i in range(n - 1):
        d = Fraction(1)
        for j in range(n - 1):
            if j != i:
                d *= a[i] - a[j]
        G.append([a[i] ** k / d for k in range(r)])
    G.append([Fraction(0)] * (r - 1) + [Fraction(1)])
    BT = []
    for i in range(n - 1):
        p = [Fraction(1)]
        for j in range(n - 1):
            if j != i:
                p = mul(p, [-a[j], Fraction(1)])
        BT.append(p + [Fraction(0)] * (n - len(p)))
    p = [Fraction(1)]
    for j in range(n - 1):
        p = mul(p, [-a[j], Fraction(1)])
    BT.append(p)
    as_array = lambda rows: np.array([[float(x) for x in row] for row in rows])
    return as_array(A).T, as_array(G), as_array(BT)


def data(rng, tiles, side, cin, cout):
    d = rng.standard_normal((tiles, side, side, cin)).astype(F16).astype(np.float64)
    g = (rng.standard_normal((cout, cin, 3, 3)) / np.sqrt(9 * cin)).astype(F16).astype(np.float64)
    return d, g


def exact(d, g, m):
    out = np.zeros((d.shape[0], m, m, g.shape[0]))
    for y in range(m):
        for x in range(m):
            out[:, y, x] = np.einsum('tijc,mcij->tm', d[:, y:y + 3, x:x + 3], g)
    return out


def peak_error(got, want):
    return np.abs(got - want).max() / np.abs(want).max()


def direct_error(rng, cin, tiles=24, cout=16):
    d, g = data(rng, tiles, 3, cin, cout)
    acc = np.zeros((tiles, cout), dtype=F16)
    for i in range(3):
        for j in range(3):
            for c in range(cin):
                acc = (acc.astype(np.float64) + d[:, i, j, c, None] * g[None, :, c, i, j]).astype(F16)
    return peak_error(acc.astype(np.float64), exact(d, g, 1)[:, 0, 0])


def winograd_error(rng, m, points, cin, tiles=24, cout=16):
    AT, G, BT = toom_cook(m, 3, points)
    n = m + 2
    d, g = data(rng, tiles, n, cin, cout)
    V = np.einsum('ai,tijc,bj->tabc', BT, d, BT).astype(F16).astype(np.float64)
    U = np.einsum('ai,mcij,bj->abcm', G, g, G).astype(F16).astype(np.float64)
    M = np.zeros((tiles, n, n, cout), dtype=F16)
    for c in range(cin):
        M = (M.astype(np.float64) + V[:, :, :, c, None] * U[None, :, :, c, :]).astype(F16)
    Y = np.einsum('ri,tijm,sj->trsm', AT, M.astype(np.float64), AT)
    return peak_error(Y, exact(d, g, m))


def main():
    rng = np.random.default_rng(0)
    print(f"{'Cin':>5} {'direct f16':>11} {'F(2x2,3x3)':>11} {'F(4x4,3x3)':>11}")
    for cin in (32, 128, 512):
        print(f"{cin:>5} {direct_error(rng, cin):>11.2e} {winograd_error(rng, 2, [0, 1, -1], cin):>11.2e} "
              f"{winograd_error(rng, 4, [0, 1, -1, 2, -2], cin):>11.2e}")


if __name__ == '__main__':
    main()
