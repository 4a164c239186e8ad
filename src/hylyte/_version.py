"""Version of the hylyte package."""

__version__ = "0.1.0"
