"""The choices a run offers and the limits it puts on one document, whatever engine runs it
(kept apart so that the command line can show them without loading the engine)."""

DEFAULT_DOC_TIMEOUT_S = 600.0      # a document whose analysis and extraction take longer fails
DOC_MEMORY_BYTES = 3 * 2**30       # a worker holding more than this for one document fails it
LAYOUTS = ("files", "dataset")    # a Parquet file a table, or a folder of Parquet parts a table
ENGINES = ("local", "ray")         # where the shards are analysed: this machine, or a Ray cluster
