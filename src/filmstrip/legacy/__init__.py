"""Old links: addresses a site had before it moved to Filmstrip (WordPress permalinks, ``?p=ID``,
uploads), each leading to what now stands there. See links.py for the API importers call."""
