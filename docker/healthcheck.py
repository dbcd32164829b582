"""Docker HEALTHCHECK: exit 0 when the service's liveness endpoint answers 200 within two seconds.

Python rather than curl because the runtime image carries no curl; the port follows the ``PORT`` setting.
"""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"{url}: {error}", file=sys.stderr)
    sys.exit(1)
