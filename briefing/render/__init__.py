"""Renderers: each turns a ``Bulletin`` into one output format (DOCX, HTML, PDF)."""
