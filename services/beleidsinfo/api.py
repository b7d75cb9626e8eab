"""HTTP routes of the Beleidsinfo API."""

from fastapi import APIRouter

router = APIRouter()
