"""Signals the platform's apps send for other apps to react to, without importing them.

- `imported`: sent once the transaction of a successful spreadsheet import has committed
  (`transaction.on_commit`), with `sender` = the importer class, `user` = who imported and `report` = the import's
  report. Listeners (the indicator refresh of `sciaid.reports`, say) schedule their own follow-up work; a failed or
  rolled-back import sends nothing.
"""

from django.dispatch import Signal

imported = Signal()
