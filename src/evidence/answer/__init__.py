"""Question → evidence: words, concept resolution and the assembled answer."""
