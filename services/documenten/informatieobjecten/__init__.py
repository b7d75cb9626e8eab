"""Enkelvoudiginformatieobjecten: the document, its versions, its content, its lock, its bestandsdelen."""
