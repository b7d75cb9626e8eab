"""Besluiten API 1.0.2: besluiten, besluitinformatieobjecten and the audittrail of a besluit."""
