"""Errors as application/problem+json in the ZGW ``Fout`` / ``ValidatieFout`` shape.

Every service raises the exceptions below (or lets FastAPI/pydantic raise theirs) and
``install_error_handlers`` turns them into the ZGW shape. Invalid input is 400 with
``invalidParams``, never FastAPI's default 422.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"

# pydantic error types -> ZGW error codes (as Open Zaak and DRF name them)
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "too_short": "min_length",
    "string_pattern_mismatch": "invalid",
    "greater_than": "min_value",
    "greater_than_equal": "min_value",
    "less_than": "max_value",
    "less_than_equal": "max_value",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "url_parsing": "invalid",
    "url_type": "invalid",
    "uuid_parsing": "invalid",
    "date_parsing": "invalid",
    "date_from_datetime_parsing": "invalid",
    "datetime_parsing": "invalid",
    "datetime_from_date_parsing": "invalid",
    "int_parsing": "invalid",
    "float_parsing": "invalid",
    "bool_parsing": "invalid",
    "json_invalid": "parse_error",
    "extra_forbidden": "unknown-parameters",
    "string_type": "invalid",
    "int_type": "invalid",
    "int_from_float": "invalid",
    "bool_type": "invalid",
    "date_type": "invalid",
    "datetime_type": "invalid",
    "list_type": "not_a_list",
    "dict_type": "invalid",
    "model_type": "invalid",
    "model_attributes_type": "invalid",
    "value_error": "invalid",
    "assertion_error": "invalid",
}

# Codes of the ZGW standards and Open Zaak a validator may raise itself (``PydanticCustomError(code, ...)``):
# they pass to ``invalidParams`` unchanged.
ZGW_CODES = frozenset({
    "required", "invalid", "null", "blank", "bad-url", "invalid-resource", "unique", "non-concept-object",
    "non-concept-zaaktype", "overlap", "invalid_choice", "max_length", "min_length", "max_value", "min_value",
    "date-mismatch", "zaaktype-mismatch", "relations-incorrect-catalogus", "concept-relation",
    "wijzigen-niet-toegelaten", "invalid-afleidingswijze-for-procestermijn", "procestermijn-null",
    "must-be-empty", "procestype-mismatch", "does_not_exist", "bad-response", "invalid-resource-type",
    "geometry-required", "not_a_list",
})

_TITLES = {
    400: "Invalid input.",
    401: "Authenticatiegegevens zijn niet opgegeven.",
    403: "U heeft geen toestemming om deze actie uit te voeren.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    406: "Kan niet voldoen aan de opgegeven Accept header.",
    409: "Conflict.",
    412: "Voorwaarde niet voldaan.",
    413: "Verzoek te groot.",
    415: "Mediatype wordt niet ondersteund.",
    422: "Onverwerkbaar verzoek.",
    429: "Te veel verzoeken.",
    500: "Er is een serverfout opgetreden.",
    502: "Ongeldig antwoord van een achterliggende dienst.",
    503: "Dienst tijdelijk niet beschikbaar.",
    504: "Achterliggende dienst antwoordde niet op tijd.",
}

_TYPES = {
    400: "ValidationError",
    401: "NotAuthenticated",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    412: "PreconditionFailed",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "UnprocessableEntity",
    429: "Throttled",
    500: "APIException",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}

_DEFAULT_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "throttled",
    500: "error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class ApiError(Exception):
    """An error a client should see, with its HTTP status and ZGW code."""

    status = 500

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status: int | None = None,
        invalid_params: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        if status is not None:
            self.status = status
        self.detail = detail
        self.code = code or _DEFAULT_CODES.get(self.status, "error")
        self.invalid_params = invalid_params
        self.headers = headers or {}


class NotAuthenticated(ApiError):
    status = 401


class PermissionDenied(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404

    def __init__(self, detail: str = "Niet gevonden.", **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)


def refused_or_absent(exists: bool) -> ApiError:
    """The one rule for a detail a client may not see, in every service: 403 ``permission_denied`` when the object
    exists but lies outside the client's rights (as the ZGW APIs and Open Zaak answer), 404 only when it is not
    there at all."""
    if exists:
        return PermissionDenied("Deze applicatie heeft geen rechten op dit object.")
    return NotFound()


class Conflict(ApiError):
    status = 409


class Unprocessable(ApiError):
    status = 422


class ValidatieFout(ApiError):
    """400 with invalidParams; ``ValidatieFout.single("veld", "code", "reden")`` for one field."""

    status = 400

    def __init__(self, invalid_params: list[dict[str, str]], detail: str | None = None) -> None:
        super().__init__(detail or "Er is een validatiefout opgetreden.", code="invalid",
                         invalid_params=invalid_params)

    @classmethod
    def single(cls, name: str, code: str, reason: str) -> ValidatieFout:
        return cls([{"name": name, "code": code, "reason": reason}])


def request_instance(request: Request | None) -> str:
    request_id = getattr(request.state, "request_id", None) if request is not None else None
    return f"urn:uuid:{request_id or uuid.uuid4()}"


def problem_body(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    instance: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"/ref/fouten/{_TYPES.get(status, 'APIException')}/",
        "code": code or _DEFAULT_CODES.get(status, "error"),
        "title": _TITLES.get(status, "Fout."),
        "status": status,
        "detail": detail,
        "instance": instance or f"urn:uuid:{uuid.uuid4()}",
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    request: Request | None = None,
    code: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(status, detail, code=code, instance=request_instance(request),
                        invalid_params=invalid_params)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def invalid_params_from_errors(errors: list[Any]) -> list[dict[str, str]]:
    """pydantic/FastAPI errors -> ZGW invalidParams (field name without the 'body'/'query' prefix)."""
    params = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        err_type = err.get("type", "invalid")
        name = ".".join(loc) or "nonFieldErrors"
        if err_type == "json_invalid":
            name = "nonFieldErrors"
        code = _PYDANTIC_CODES.get(err_type) or (err_type if err_type in ZGW_CODES else "invalid")
        if err.get("input", ...) is None and err_type.endswith("_type"):
            code = "null"  # an explicit null where the standard does not allow one (DRF's code)
        params.append({
            "name": name,
            "code": code,
            "reason": str(err.get("msg", "Ongeldige waarde.")),
        })
    return params


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem_response(exc.status, exc.detail, request=request, code=exc.code,
                                invalid_params=exc.invalid_params, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(400, "Er is een validatiefout opgetreden.", request=request, code="invalid",
                                invalid_params=invalid_params_from_errors(list(exc.errors())))

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> JSONResponse:
        return problem_response(400, "Er is een validatiefout opgetreden.", request=request, code="invalid",
                                invalid_params=invalid_params_from_errors(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Fout.")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Niet gevonden."
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"Methode '{request.method}' niet toegestaan."
        if exc.status_code == 400:
            # FastAPI's own 400 (a body it cannot decode) gets the ValidatieFout shape too.
            params = [{"name": "nonFieldErrors", "code": "parse_error", "reason": detail}]
            return problem_response(400, "Er is een validatiefout opgetreden.", request=request, code="parse_error",
                                    invalid_params=params)
        return problem_response(exc.status_code, detail, request=request,
                                headers=getattr(exc, "headers", None))
