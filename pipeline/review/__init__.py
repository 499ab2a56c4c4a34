"""The review site: every document's text with its extracted rows marked, as static HTML."""
