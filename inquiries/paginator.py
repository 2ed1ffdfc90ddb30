"""A paginator for tables that grow without bound (the queue, the access log): it never counts them whole."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Counting stops here; beyond it the page says "more than 10,000" and staff narrow the list.
COUNT_CAP = 10_000


class QueuePaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows; an unfiltered list takes PostgreSQL's estimate when larger.

    `count_kind` says which the page shows: "exact", "more" (the cap was reached) or "about" (the
    planner's estimate, `pg_class.reltuples`, kept fresh by autovacuum). Every page up to the
    counted number can be opened; the queue's order puts what needs work on the first pages.
    """

    count_cap = COUNT_CAP

    @cached_property
    def _counted(self) -> tuple[int, str]:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset), "exact"
        if not queryset.query.where:
            estimate = _estimated_rows(queryset)
            if estimate is not None and estimate > self.count_cap:
                return estimate, "about"
        counted = queryset.order_by().values("pk")[: self.count_cap + 1].count()
        return counted, "more" if counted > self.count_cap else "exact"

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_kind(self) -> str:
        return self._counted[1]


def _estimated_rows(queryset) -> int | None:
    """The planner's row estimate of the queryset's table on PostgreSQL; None elsewhere or unknown."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    # -1 (never analysed) or no row: unknown, so the capped count decides.
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None
