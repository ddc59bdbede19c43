from sciaid.commissioners.tests.samples_selection import *  # noqa: F403
from sciaid.commissioners.tests.samples_yearly import *  # noqa: F403
