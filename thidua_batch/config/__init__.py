"""What a campaign is, as data: the campaign file (`campaign`, `data/*.toml`), the roster and how a
typed unit name resolves (`roster`), the workbook contract (`schema`), input limits (`limits`),
and the unit template written from them (`unit_template`)."""
