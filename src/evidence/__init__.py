"""evidens: an open evidence base for the VIVE (2024) review of interdisciplinary collaboration."""
