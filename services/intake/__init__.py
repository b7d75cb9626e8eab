"""Intake: aanvragen, signalen (vroegsignalering) and triage by the archetype profile."""
