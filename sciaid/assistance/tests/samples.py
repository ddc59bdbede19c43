"""Samples of the assistance models served beside demands, for the generic jurisdiction tests (see the docstring of
sciaid/tests/samples.py; the Demand sample itself stays there).

Knowledge entries are samples *in review*: a published entry is read across the province on purpose, so only the
review queue is county business, and that is what the isolation test must check.
"""

from __future__ import annotations

from sciaid.assistance.models import Demand, KnowledgeEntry, SubsidyStatement
from sciaid.tests.samples import URL_KWARGS, sample


@sample(KnowledgeEntry, fingerprints=lambda entry: [entry.title])
def knowledge_entry(world, county):
    """The county's sample demand's solution, waiting for the county desk's review."""
    demand = Demand.objects.get(title=f"Sample demand {county.upper()}")
    return KnowledgeEntry.objects.create(
        demand=demand,
        village=demand.village,
        specialty=demand.specialty,
        title=f"Sample knowledge {county.upper()}",
        body="Change a third of the pond water.",
    )


@sample(SubsidyStatement, search=lambda statement: None, fingerprints=lambda statement: [])
def subsidy_statement(world, county):
    """A draft statement of the county for 2020."""
    return SubsidyStatement.objects.create(county=world.areas[f"county_{county}"], year=2020)


#: Knowledge and statement actions are one URL each, like a demand's.
URL_KWARGS["assistance:knowledge-action"] = lambda entry: {"pk": entry.pk, "action": "dismiss"}
URL_KWARGS["assistance:statement-action"] = lambda statement: {"pk": statement.pk, "action": "submit"}
