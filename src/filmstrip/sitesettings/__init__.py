"""The author's settings for the whole site, edited in the studio's Site settings page."""
