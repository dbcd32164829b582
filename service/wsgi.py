"""gunicorn entry point: ``service.wsgi:app``. Each worker imports this after the fork, so models load per
worker process and no torch state crosses a fork."""

from service import create_app

app = create_app()
