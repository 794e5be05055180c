"""Collections documents for car-repair shops: YAML cases to Word and PDF."""
