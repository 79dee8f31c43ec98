"""The global assignment: dynamic programming over the ordered segments, with a back-step penalty.

Each segment is in one state: answering part j (`A_j`), or answering nothing after part l was
last answered (`N_l`, with l = -1 before any part). Moving on in key order costs a little (more
for each part skipped), going back costs more, and staying in the same part is free inside a
reply. The transitions depend only on the difference in key order, so one step costs O(parts)
with prefix maxima. A backward pass gives max-marginals: the best total score of any
assignment that puts a given segment in a given state, which is what confidence is read from.
"""

from __future__ import annotations

from dataclasses import dataclass

NEG = float("-inf")


@dataclass(frozen=True)
class Costs:
    """Transition scores into a segment (negative numbers are penalties)."""

    stay: float = 0.0  # A_j -> A_j
    reenter: float = -3.0  # N_j -> A_j: the same part again after a gap
    forward: float = -0.5  # on to a later part
    skip: float = -0.3  # for each part skipped on the way
    back: float = -4.0  # back to an earlier part
    off: float = -0.5  # A_j -> N_j: the answer ends


class Grid:
    """Scores of every segment in every state, and the best path through them."""

    def __init__(self, parts: int, emissions: list[tuple[list[float], float]], costs: list[Costs]):
        """`emissions[u]` is (score per part, score for no part); `costs[u]` leads into u."""
        self.k = parts
        self.emissions = emissions
        self.costs = costs
        self.alpha: list[list[float]] = []
        self.beta: list[list[float]] = []
        self.path: list[int] = []
        self.best = NEG
        if emissions:
            self._forward()
            self._backward()

    def none_state(self, last: int) -> int:
        """The state index of N_last (last = -1 before any part)."""
        return self.k + 1 + last

    def position(self, state: int) -> int:
        """The key position a state stands at."""
        return state if state < self.k else state - self.k - 1

    def _emit(self, u: int, state: int) -> float:
        parts, none = self.emissions[u]
        return parts[state] if state < self.k else none

    def _step(self, prev: list[float], c: Costs) -> tuple[list[float], list[int]]:
        """Best score into each state from `prev`, and the state it came from."""
        k = self.k
        # best over the two states standing at each position i = -1 .. k-1 (index i + 1)
        at = [prev[self.none_state(-1)]]
        at_from = [self.none_state(-1)]
        for i in range(k):
            a, n = prev[i], prev[self.none_state(i)]
            at.append(a if a >= n else n)
            at_from.append(i if a >= n else self.none_state(i))
        pre = [NEG] * (k + 1)  # pre[j]: max over i < j of at[i] - skip * i ... as (score, i)
        pre_from = [-1] * (k + 1)
        best, arg = NEG, -1
        for j in range(k):
            i = j - 1  # position i = j - 1 joins the prefix before part j
            value = at[i + 1] - c.skip * i if at[i + 1] > NEG else NEG
            if value > best:
                best, arg = value, i
            pre[j], pre_from[j] = best, arg
        suf = [NEG] * k
        suf_from = [-1] * k
        best, arg = NEG, -1
        for j in range(k - 1, -1, -1):
            suf[j], suf_from[j] = best, arg
            if at[j + 1] > best:
                best, arg = at[j + 1], j
        out = [NEG] * (2 * k + 1)
        came = [-1] * (2 * k + 1)
        stay, reenter, back = c.stay, c.reenter, c.back
        move = c.forward + c.skip * -1  # the skip term of j = 0, grown by `skip` per part
        for j in range(k):
            best, arg = prev[j] + stay, j
            n = k + 1 + j
            value = prev[n] + reenter
            if value > best:
                best, arg = value, n
            if pre[j] > NEG:
                value = pre[j] + move + c.skip * j
                if value > best:
                    best, arg = value, at_from[pre_from[j] + 1]
            if suf[j] > NEG:
                value = suf[j] + back
                if value > best:
                    best, arg = value, at_from[suf_from[j] + 1]
            out[j], came[j] = best, arg
        start = k
        out[start], came[start] = prev[start], start
        for i in range(k):
            n = k + 1 + i
            value = prev[i] + c.off
            if prev[n] >= value:
                out[n], came[n] = prev[n], n
            else:
                out[n], came[n] = value, i
        return out, came

    def _forward(self) -> None:
        states = 2 * self.k + 1
        prev = [NEG] * states
        prev[self.none_state(-1)] = 0.0
        back: list[list[int]] = []
        for u in range(len(self.emissions)):
            scores, came = self._step(prev, self.costs[u])
            prev = [s + self._emit(u, st) if s > NEG else NEG for st, s in enumerate(scores)]
            self.alpha.append(prev)
            back.append(came)
        state = max(range(states), key=lambda s: prev[s])
        self.best = prev[state]
        path = [state]
        for u in range(len(self.emissions) - 1, 0, -1):
            state = back[u][state]
            path.append(state)
        self.path = path[::-1]

    def _backward(self) -> None:
        k = self.k
        n_units = len(self.emissions)
        beta = [[0.0] * (2 * k + 1) for _ in range(n_units)]
        for u in range(n_units - 2, -1, -1):
            c = self.costs[u + 1]
            g = [self._emit(u + 1, s) + beta[u + 1][s] for s in range(2 * k + 1)]
            # suffix max over j > i of g[A_j] + skip * j; prefix max over j < i of g[A_j]
            suf = [NEG] * (k + 1)  # suf[i + 1]: over j > i
            best = NEG
            for j in range(k - 1, -2, -1):
                suf[j + 1] = best
                if j >= 0:
                    best = max(best, g[j] + c.skip * j)
            pre = [NEG] * (k + 1)  # pre[i + 1]: over j < i
            best = NEG
            for i in range(-1, k):
                pre[i + 1] = best
                if i >= 0:
                    best = max(best, g[i])
            row = beta[u]
            for i in range(-1, k):
                fwd = suf[i + 1] - c.skip * (i + 1) + c.forward if suf[i + 1] > NEG else NEG
                bck = pre[i + 1] + c.back if pre[i + 1] > NEG else NEG
                n = self.none_state(i)
                moving = max(fwd, bck)
                if i >= 0:
                    row[i] = max(g[i] + c.stay, g[n] + c.off, moving)
                    row[n] = max(g[n], g[i] + c.reenter, moving)
                else:
                    row[n] = max(g[n], moving)
        self.beta = beta

    def marginal(self, u: int, state: int) -> float:
        """The best total score of any assignment with segment u in `state`."""
        return self.alpha[u][state] + self.beta[u][state]
