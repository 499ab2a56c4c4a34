"""Built-in extraction rules (TOML data files), shipped inside the package."""
