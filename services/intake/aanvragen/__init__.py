"""Aanvragen: filed by a resident, a wijkteam worker or a partner (or opened by vroegsignalering), triaged by the
archetype profile into zaken, delegations or the integral team, with their history and termijnen."""
