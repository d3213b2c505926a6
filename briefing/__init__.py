"""briefing: compile Chinese government briefing bulletins (简报) from Markdown/YAML articles.

The pipeline is load → check → number → assemble → render; each stage is one module and they
hand frozen dataclasses (``briefing.model``) to each other. Only ``briefing.cli`` prints.
"""

__version__ = "0.1.0"
