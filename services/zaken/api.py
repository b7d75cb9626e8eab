"""HTTP routes of the Zaken API and the Catalogi API."""

from fastapi import APIRouter

zaken_router = APIRouter()
catalogi_router = APIRouter()
