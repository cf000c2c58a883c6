"""Kinship's benchmark: `python -m bench.run` (or `make bench`)."""
