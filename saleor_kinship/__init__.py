"""Customer relationships, resellers and loyalty for Saleor shops."""

__version__ = "0.1.0"
