"""Structure editing and action plans: organization, units, members, scorecards,
perspectives, objectives, cause-effect links, KPI definitions, initiatives and tasks.

Views here are thin: they check the role (organizations.access), validate a Django
form, call one service or selector and render a template under ``web/manage/``.
"""
