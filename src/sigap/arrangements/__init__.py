"""Work arrangements: flexible-work policies, WFO quotas, office space, WFA regions, rosters."""
