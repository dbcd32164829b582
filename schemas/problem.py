"""RFC 7807 problem details, the body of every error response."""

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    """``application/problem+json``: what went wrong, for a machine and for a person."""

    type = fields.String(required=True, metadata={"description": "URI identifying the problem type"})
    title = fields.String(required=True, metadata={"description": "Short summary of the problem type"})
    status = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    detail = fields.String(metadata={"description": "What happened in this request"})
    instance = fields.String(metadata={"description": "Path of the request that failed"})
    request_id = fields.String(metadata={"description": "The X-Request-ID of the failed request"})
    errors = fields.Dict(
        metadata={"description": "Field-level validation messages (marshmallow), keyed by location and field"}
    )
