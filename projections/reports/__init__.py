"""Reports built from the views as at a position: RAG, data quality, the evidence pack, the
diff between two dates; and the one renderer (HTML, CSV, JSON, tables) they share."""

# The integrated performance report's formats (performance_formats.py renders them); here, where
# the CLI's --format option reads them without importing a renderer.
PERFORMANCE_FORMATS = ("html", "json", "xlsx", "table")
