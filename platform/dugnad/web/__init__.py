"""The web shell: routing into municipalities, templates, languages, security headers, errors."""
