"""Gebruiksrechten of an informatieobject."""
