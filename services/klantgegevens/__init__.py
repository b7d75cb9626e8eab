"""Klantgegevens: personen, huishoudens, contactmomenten, toestemmingen and the verwerkingenlog."""
