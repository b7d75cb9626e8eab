"""Household plans with one regisseur (sociaal-domein extension)."""
