"""Files in: what an inbox holds (`inbox`, `mailfiles` for .eml/.mbox), hostile bytes refused
(`safety`), one workbook read into a FileResult (`reader`, with `values` and `legacy` for cell
values and old Vietnamese encodings). Entry point: `reader.read_workbook`, `inbox.scan`."""
