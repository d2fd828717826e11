"""pytest helpers for researchers (see issue 3)."""
