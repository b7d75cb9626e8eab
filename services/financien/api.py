"""HTTP routes of the Financien API."""

from fastapi import APIRouter

router = APIRouter()
