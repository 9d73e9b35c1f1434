"""Health watch (DOMAIN.md section 9)."""
