"""Security headers on every response: a strict Content-Security-Policy (no inline script
or style anywhere), no MIME sniffing, no framing, a narrow Permissions-Policy, and HSTS
when the deployment says it is served over HTTPS.

A small after-request hook rather than flask-talisman: Talisman's defaults (forced HTTPS
redirects, its own cookie settings, the retired Feature-Policy header) would each need
turning off, while our cookies and HTTPS come from the configuration."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
# Shoppers photograph evidence with the phone's camera; nothing else is needed.
PERMISSIONS_POLICY = ", ".join((
    "camera=(self)", "microphone=()", "geolocation=()", "payment=()", "usb=()",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_security_headers(app: Flask) -> None:
    hsts_seconds = int(app.config.get("HSTS_SECONDS") or 0)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # HSTS only over HTTPS (behind a proxy, ProxyFix makes request.is_secure true).
        if hsts_seconds and request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains"
            )
        return response
