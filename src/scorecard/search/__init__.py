"""Search across an organization's scorecards: KPIs, objectives, initiatives, units and
people, in one selector the header's search box uses."""
