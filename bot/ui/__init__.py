"""What users see: catalogs and locale choice, the HTML renderer, the command registry."""
