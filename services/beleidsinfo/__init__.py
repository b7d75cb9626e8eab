"""Beleidsinfo: indicators per kolom, cluster and period, projected from the suite's events."""
