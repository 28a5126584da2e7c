"""The review's text → data: sections, studies, findings, claims, citations, references, joined with the curation."""
