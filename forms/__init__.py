"""WTForms classes for the platform's pages."""
