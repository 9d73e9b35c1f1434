"""Leaders' views: unit recaps, the regional dashboard, the check-in map, official reports."""
