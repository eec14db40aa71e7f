"""Who sees what: sign-in, users and roles, their scope, and the audit log (docs/security.md)."""
