"""Mail: the round trip with the units (mail.md).

`fetch` saves the board's mails that carry files, whole and read-only; `drafts` writes the
templates and the replies as .eml drafts that open in a mail client; `send` sends those drafts
over SMTP, each once. None of them reads a workbook: the inbox is read by the batch.
"""
