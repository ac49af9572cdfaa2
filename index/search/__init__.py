"""Search structures built with the index: prefix suggestions and the saved layers."""

__all__: list[str] = []
