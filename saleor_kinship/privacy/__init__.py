"""What kinship holds about a customer: exporting it, erasing it, and the
copy of a few values kept in the host's private metadata (the mirror)."""
