"""Zaken (Zaken API 1.5.1): zaken and what hangs under them."""
