"""Score triggers (issue 16): a brand's rules for telling managers and owners when a
scored visit falls short. The rules are records (`audit.models.triggers`), evaluated by
the pure `audit.scoring.triggers`; `fire` announces them when a visit is submitted
(managers) and published (managers and owners, who see only published visits)."""
