"""Organizations (tenants), their unit tree, and who belongs with which role."""
