"""The catalogue (Catalogi API 1.3.1) of the zaken service."""
