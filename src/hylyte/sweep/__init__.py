"""hylyte.sweep (public names are listed in __all__)."""

__all__: list[str] = []
