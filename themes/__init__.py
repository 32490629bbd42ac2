"""The app's themes, one TOML file each; shipped inside the package as facilitator.themes."""
