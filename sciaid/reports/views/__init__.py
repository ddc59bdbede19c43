"""The dashboard's pages, by sub-domain: `dashboard` (the view, its form and cache), `tables` (every table and chart
of an area's figures), `personal` (an expert's or an info officer's own), `exports` (a table as a spreadsheet). The
self-inspection report's pages are in `sciaid.reports.self_inspection.views`."""
