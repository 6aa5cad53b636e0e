"""Writers; they never read a workbook. report.json (`report`), the consolidated workbook
(`consolidated`), the Word drafts (`drafts`: decision and tờ trình in `board`, letters in
`letters`, contexts in `draft_context`) through the one Word engine (`word`), Vietnamese
formats (`vnformat`). `outputs.write_outputs` writes a run's whole --out folder."""
