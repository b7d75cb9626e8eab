"""The five archetype profiles of the seed, as YAML data; a package so a built wheel carries the files."""
