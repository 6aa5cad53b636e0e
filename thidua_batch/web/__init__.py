"""The officer's page (web.md): the same work as the command line, in a browser on the officer's
own computer. Thin like the CLI: every page calls the library entry points (`run_batch`,
`check_paths`, `write_outputs`, the template writer) on the same folders, read afresh on each request.
"""
