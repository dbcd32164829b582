"""Model backends the service loads once at start-up (no Flask, no training code)."""
