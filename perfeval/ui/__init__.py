"""Streamlit-facing pieces shared by the pages (widgets and layout only; no SQL, no rules)."""
