"""GET /api/docs — interactive API documentation (Swagger UI) of the OpenAPI document.

Relative URLs only: the page at /api/docs loads ./openapi.json (GET /api/openapi.json) and
./docs/<asset> (GET /api/docs/{asset}), so it works on any host and stage, and offline.
"""

import base64
import hashlib
from typing import Any

from conduit.static import StaticFile

SCRIPT = """
window.ui = SwaggerUIBundle({
  url: "./openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  defaultModelsExpandDepth: 0
});
"""
PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Conduit API</title>
  <link rel="stylesheet" href="./docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="./docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./docs/swagger-ui-bundle.js"></script>
  <script>{SCRIPT}</script>
</body>
</html>
"""
_script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
# Same-origin everything (validatorUrl null: no badge from validator.swagger.io); Swagger UI sets inline styles.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        f"script-src 'self' 'sha256-{_script_hash}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
DOCUMENT = StaticFile(
    PAGE.encode(),
    content_type="text/html; charset=utf-8",
    cache_control="public, max-age=300",
    headers={"content-security-policy": CONTENT_SECURITY_POLICY, "x-frame-options": "DENY"},
)


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return DOCUMENT.response(event)
