"""Text for people: ``fmt`` (万元, %, 未披露, dates), ``i18n`` (the Translator) and ``glossary`` (the zh/en terms used
in several places)."""
