"""The essays for other software: feeds, sitemaps, robots.txt and oEmbed."""
