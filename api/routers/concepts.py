"""Placeholder until this router is written (same session)."""

from fastapi import APIRouter

router = APIRouter()
