"""Objectinformatieobjecten: the Documenten API's side of a zaak's or besluit's relation to a document."""
