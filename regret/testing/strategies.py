"""Hypothesis strategies that generate online convex problems for property tests of bounds.

    from hypothesis import given, settings
    from regret.testing import assert_bound_holds
    from regret.testing.strategies import problems

    @settings(max_examples=10, deadline=None)
    @given(problems(families=("linear", "least_squares")))
    def test_ogd_keeps_zinkevich(case):
        assert_bound_holds("zinkevich-1", "sgd:alpha=1,schedule=sqrt", case.spec, T=case.T, seeds=[case.seed])

A :class:`ProblemCase` is (family, domain, d, radius, T, seed); ``case.spec`` is the
:class:`regret.problems.ProblemSpec`. Needs the optional ``hypothesis`` package (``pip install
regret[test]``).
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

FAMILIES = ("linear", "logistic", "least_squares")  # problem names of regret.problems
DOMAINS = ("box", "ball")


@dataclass(frozen=True)
class ProblemCase:
    family: str
    domain: str
    d: int
    radius: float
    T: int
    seed: int

    @property
    def spec(self):
        from ..problems import problem

        return problem(self.family, d=self.d, domain=self.domain, radius=self.radius)

    def __str__(self) -> str:
        return f"{self.family}:d={self.d},domain={self.domain},radius={self.radius:g} T={self.T} seed={self.seed}"


def problems(families=FAMILIES, domains=DOMAINS, d=(1, 8), T=(20, 400), radius=(0.5, 1.0, 2.0, 5.0),
             seed=(0, 2 ** 16)) -> st.SearchStrategy:
    """Problems drawn from the named families on bounded domains: dimension in ``d`` (inclusive
    range), horizon in ``T``, a domain radius from ``radius``, a seed in ``seed``."""
    return st.builds(ProblemCase, family=st.sampled_from(tuple(families)), domain=st.sampled_from(tuple(domains)),
                     d=st.integers(*d), radius=st.sampled_from(tuple(radius)), T=st.integers(*T),
                     seed=st.integers(*seed))


def step_sizes(lo: float = 1e-2, hi: float = 1e1) -> st.SearchStrategy:
    """Positive step sizes α spread over orders of magnitude."""
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
