"""The ``vitk2`` command line: a thin shell over the library."""
