"""Checks on a file's bytes before any parser sees it.

Units email what they have: a renamed PDF, a password-protected file, a half-downloaded
attachment, an HTML table that a web system called ".xls". A hostile file may also come (a zip
bomb, XML with entity declarations, a 5 KB workbook with one cell at XFD1048576). Each check
looks at the bytes only, cheaply and within fixed bounds, and gives a `Rejection` with a
Vietnamese message saying what the unit must do, or lets the file through to calamine /
python-docx. Nothing here raises, writes, or inflates more than a member declares.

The modules, by what they hold:
- `refusals`: the reasons and their messages;
- `basics`: the container sniffed, empty and oversized files, the guard around every check;
- `zipped`: a zip's central directory and bounded inflation;
- `xmlscan`: DTD and encoding of XML members;
- `sheets`: what a sheet's XML says (extent; formulas, errors, hidden rows for the reader);
- `compound`: the compound-file (OLE2) reader; `xls`: an .xls in it;
- `workbooks`: the entry point for workbooks (`inspect_workbook`); `documents`: for Word files.
"""
from __future__ import annotations

from ...config.limits import Limits
from .basics import sniff_format
from .documents import inspect_document_bytes
from .refusals import Rejection
from .sheets import SheetFacts
from .workbooks import Inspection, inspect_workbook, inspect_workbook_bytes

__all__ = ["Limits", "Rejection", "Inspection", "SheetFacts", "sniff_format", "inspect_workbook",
           "inspect_workbook_bytes", "inspect_document_bytes"]
