"""What the API and the site read from the built database: connections, lists, documents, stances, the handbook."""
