"""The pipeline: sources are read (``sources``, ``sync``), every batch goes through ``ingest``
into the store, and a ``workspace`` ties a database, its calendar and its settings together;
``reports`` is the one report the CLI prints and the dashboard draws."""
