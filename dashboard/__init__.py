"""The dashboard's shared pieces: session and sidebar, display, charts, views, composer, access."""
