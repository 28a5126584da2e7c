"""Tables as files: CSV, Danish-Excel CSV and XLSX, reference-manager files and evidence briefs."""
