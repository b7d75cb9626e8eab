"""HTTP routes of the Intake API."""

from fastapi import APIRouter

router = APIRouter()
