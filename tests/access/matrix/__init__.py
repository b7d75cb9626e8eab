"""The access matrix of issue 18: per shipped archetype, every kind of applicatie against every resource and
operation of the suite, through the gateway. ``definitie`` says who the applicaties are and what each may see
(an oracle written from the profile, not from the services' code); ``gegevens`` builds a data set that touches
every kolom; ``controle`` asks and compares; ``verslag`` writes the outcome table of docs/security.md."""
