"""Helpers every stage uses and that know nothing of the domain: Vietnamese text keys (`text`),
atomic writes and output sets (`atomic`), phase timings (`timings`), the reader of hand-edited
TOML (`tomlfile`), file names valid on Windows (`filenames`), safe console streams (`console`),
click's words (`cli_words`) and reader libraries' errors (`library_words`) in Vietnamese.
Imports nothing from the package outside this folder."""
