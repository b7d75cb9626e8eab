"""Signalen (vroegsignalering): early signals of partners, one by one or in batches, deduplicated per household
and partner within a window, turned into a proactive schuldhulp aanvraag when the profile's rule is met."""
