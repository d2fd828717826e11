"""Benchmarks of `regret` against its peers and the machine's own limit: ``python -m bench``
(see bench/README.md)."""
