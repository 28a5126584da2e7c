"""The Datasette site (app, plugin) and serving the site and the API together."""
