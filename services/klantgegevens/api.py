"""HTTP routes of the Klantgegevens API."""

from fastapi import APIRouter

router = APIRouter()
