"""Registry of Internet-governance cooperation mechanisms, and its review bot."""
__version__ = "0.1.0"
