"""pytest plugin entry point of `regret` (registered in pyproject.toml)."""
