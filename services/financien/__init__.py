"""Financien: aanbieders, contracten, budgetten, toewijzingen and declaraties."""
