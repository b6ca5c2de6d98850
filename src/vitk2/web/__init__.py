"""The web app: the whole programme in a browser, served on this machine (``vitk2 serve``).

FastAPI and Uvicorn (the extra ``vitk2[web]``), pages rendered on the server from Jinja2
templates and made interactive with htmx, charts drawn by plotly.js. Everything the
pages load ships inside the package: nothing is fetched from the network.

Owns the application (`app`: `create_app`), the guard every request passes (`security`:
host check, access token, CSRF, security headers), the one JSON error shape (`errors`),
page rendering (`templating`), chart specifications (`charts`), the server (`server`),
the JSON API under ``/api/`` (`api`) and the pages, one module each (`pages`). Routes
parse input, call one service or domain function and format the result: no business
logic here.
"""

__all__ = ["api", "app", "charts", "errors", "pages", "security", "server", "templating"]
