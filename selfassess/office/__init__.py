"""Office file helpers shared by forms and reports: OOXML parts, Excel cells and tabs."""
