"""Parley's pipelines and the ``parley`` command.

Importing Apache Beam without its optional Google Cloud client logs "apitools not found ..." on
the root logger, before any logging is configured; Parley never uses BigQuery, so that one
warning is dropped here, ahead of the first Beam import.
"""

import logging


def _not_beams_apitools_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("apitools not found")


logging.getLogger().addFilter(_not_beams_apitools_warning)
