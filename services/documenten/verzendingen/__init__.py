"""Verzendingen: the sending or receiving of a document, to or from a betrokkene, at one address."""
