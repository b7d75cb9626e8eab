"""Zaken: the ZGW Zaken API 1.5.1 and Catalogi API 1.3.1, plannen and regie."""
