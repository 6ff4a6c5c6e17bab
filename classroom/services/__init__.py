"""Units of work that hold every rule; the web, the API, CSV import and the CLI call these."""
