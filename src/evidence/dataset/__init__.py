"""The dataset: its schema, reading and writing its CSVs, validation, and the audit of the review."""
