"""Data → SQLite: the data tables, lookups, the review's tables, full-text search, views, documents, data dictionary."""
