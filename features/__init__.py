"""The feature library: one module per feature family, registered by name (see conf/features/)."""
