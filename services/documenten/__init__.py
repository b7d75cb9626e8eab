"""Documenten API 1.4.3: enkelvoudiginformatieobjecten, gebruiksrechten, objectinformatieobjecten."""
