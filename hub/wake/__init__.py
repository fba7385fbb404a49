"""wake stage."""
