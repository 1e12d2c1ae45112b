"""Read models for the staff review page: the list of escalations, one
escalation in detail, statistics and the CSV export.

No web code here (the page is in review/). What comes out is what staff
need and no more: never a pseudonym, a chat id or a Telegram id. The
database keeps times in UTC without a zone; everything returned here is in
Dutch time (Europe/Amsterdam), and date filters are Dutch calendar days.
"""

from wegwijzer.review.common import STATUS_FILTERS, STATUSES, ZONE, topic_choices, topic_label
from wegwijzer.review.detail import Detail, escalation_detail
from wegwijzer.review.export import CSV_HEADER, csv_rows
from wegwijzer.review.listing import ListRow, gemeente_choices, inbox, list_escalations, live_version
from wegwijzer.review.statistics import ReferralOutcomes, ReplyTimes, Statistics, referral_outcomes, statistics

__all__ = [
    "CSV_HEADER",
    "STATUSES",
    "STATUS_FILTERS",
    "ZONE",
    "Detail",
    "ListRow",
    "ReferralOutcomes",
    "ReplyTimes",
    "Statistics",
    "csv_rows",
    "escalation_detail",
    "gemeente_choices",
    "inbox",
    "list_escalations",
    "live_version",
    "referral_outcomes",
    "statistics",
    "topic_choices",
    "topic_label",
]
