"""Benchmark: switching the document shown by DocView vs Textual's Markdown and a Rich Static.

Run: .venv/bin/python benchmarks/view_switch.py [--quick]

Prints, in one run: (1) keypress-to-settled-screen times for next-part switching at 160x50
for three documents sizes (~7 KB, ~68 KB, ~340 KB) and three widgets, (2) time to the first
screen of the 340 KB document, (3) cold start of `hwreview open demo` vs a bare Textual app
(via benchmarks/startup.py), (4) peak memory of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (160, 50)

# ---------------------------------------------------------------- documents

_WORDS = (
    "the gradient of loss with respect to matrix is computed by chain rule so we obtain a "
    "low rank update where each column spans subspace and therefore singular values decay "
    "quickly which means approximation error bounded by tail energy of spectrum note that "
    "this holds for any orthogonal projection onto span of top vectors"
).split()
_MATH = [
    r"$\frac{\partial L}{\partial A} = G B^\top$",
    r"$S_{ij} = \sum_{k=1}^{r} U_{ik} \sigma_k V_{jk}$",
    r"$r \ll \min(m, n)$",
    r"$\operatorname{rank}(W) \le r$",
    r"$W \in \mathbb{R}^{m \times n}$",
    r"$\|A - A_k\|_F^2 = \sum_{i>k} \sigma_i^2$",
    r"$\alpha = 10{,}000$",
    r"$x \cdot y = \text{cost}$",
]
_CODE = [
    "import numpy as np\n\ndef low_rank(a, r):\n    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
    "    return (u[:, :r] * s[:r]) @ vt[:r]\n",
    "for epoch in range(10):\n    loss = model(x).sub(y).pow(2).mean()\n    loss.backward()\n"
    "    opt.step()\n    opt.zero_grad()\n",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.35:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(_MATH))
    if rng.random() < 0.15:
        words.insert(rng.randint(1, len(words) - 1), f"`{rng.choice(_WORDS)}_{rng.randint(1, 9)}`")
    if rng.random() < 0.15:
        i = rng.randint(0, len(words) - 1)
        words[i] = f"**{words[i]}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _block(rng: random.Random, n: int) -> str:
    kind = rng.random()
    if n % 12 == 0:
        return f"## Problem {n // 12 + 1}({'abcd'[n % 4]})"
    if kind < 0.45:
        return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
    if kind < 0.58:
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 5)))
    if kind < 0.66:
        return "\n".join(f"{i}. {_sentence(rng)}" for i in range(1, rng.randint(3, 6)))
    if kind < 0.76:
        return f"```python\n{rng.choice(_CODE)}```"
    if kind < 0.84:
        rows = "\n".join(
            f"| {r} | {rng.randint(1, 99)}.{rng.randint(0, 9)} | {rng.choice(_WORDS)} |"
            for r in range(1, rng.randint(3, 7))
        )
        return f"| rank | error | note |\n|---:|---:|---|\n{rows}"
    if kind < 0.92:
        return "$$\n" + rng.choice(_MATH).strip("$") + "\n$$"
    return "> " + _sentence(rng)


def make_document(size: int, seed: int = 0) -> str:
    """A deterministic homework-answer-like Markdown document of about `size` bytes."""
    rng = random.Random(seed)
    blocks, total, n = [f"# Answer (seed {seed})"], 0, 1
    while total < size:
        block = _block(rng, n)
        blocks.append(block)
        total += len(block.encode()) + 2
        n += 1
    return "\n\n".join(blocks) + "\n"
