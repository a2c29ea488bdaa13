"""/-/health: is the explorer up, and what does it hold."""

import os

from fastapi import APIRouter

from api.deps import ExplorerDep

router = APIRouter(tags=["health"])


@router.get("/-/health", summary="Health and size of the loaded graph")
async def health(explorer: ExplorerDep) -> dict:
    return {
        "status": "ok",
        "store": explorer.store.describe(),
        "triples": explorer.triples,
        "concepts": len(explorer.catalog.concepts),
        "relations": len(explorer.catalog.edges),
        "timings_s": {k: round(v, 3) for k, v in explorer.timings.items()},
        "pid": os.getpid(),  # the worker that answered (kg serve --workers N runs N of them)
    }
