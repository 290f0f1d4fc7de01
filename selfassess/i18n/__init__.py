"""Languages: the runtime localizer and the catalog tools beside it."""
