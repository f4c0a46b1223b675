"""One module per kind of fact; each exposes a function ``x_to_y(doc, sections, ...)``."""
