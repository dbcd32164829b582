"""Marshmallow schemas: every request and response body, the single source of validation and OpenAPI."""
