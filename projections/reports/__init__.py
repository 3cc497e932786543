"""Reports built from the views as at a position: RAG, data quality, the evidence pack, the
diff between two dates; and the one renderer (HTML, CSV, JSON, tables) they share."""
