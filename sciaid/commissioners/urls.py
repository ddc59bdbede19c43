"""Pages of the commissioners app: each sub-domain lists its own, all under the `commissioners:` namespace."""

from sciaid.commissioners.agreements.urls import urlpatterns as agreements
from sciaid.commissioners.allocation.urls import urlpatterns as allocation
from sciaid.commissioners.appraisals.urls import urlpatterns as appraisals
from sciaid.commissioners.logs.urls import urlpatterns as logs
from sciaid.commissioners.selection.urls import urlpatterns as selection
from sciaid.commissioners.statistics.urls import urlpatterns as statistics
from sciaid.commissioners.teams.urls import urlpatterns as teams
from sciaid.commissioners.workstations.urls import urlpatterns as workstations

app_name = "commissioners"
urlpatterns = [*statistics, *selection, *teams, *agreements, *logs, *allocation, *appraisals, *workstations]
