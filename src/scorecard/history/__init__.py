"""Layer 3, a feature: reading the change history that the audit app records."""
