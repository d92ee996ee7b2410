"""Regional benchmarking: metrics per municipality, compared across the region."""
