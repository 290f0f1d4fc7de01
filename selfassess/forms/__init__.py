"""Form formats: metadata shared by both, and one module per format."""
