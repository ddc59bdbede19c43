"""Pages of the project life, one module per sub-domain: calls, the step-by-step declaration, a project's page with
the actions open to the user, the reviewer's scoring page, random supervision and rectifications.

Every action is one POST calling exactly one service function; a refusal (invalid data, wrong role or county, wrong
state) comes back as a message and changes nothing.
"""
