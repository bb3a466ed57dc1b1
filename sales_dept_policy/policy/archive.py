"""ARC: the customer archive and who may read it (SPEC ARC-3..7)."""

from datetime import timedelta

#: ARC-5: an access grant lasts this many days unless configured otherwise.
DEFAULT_GRANT_DAYS = 7


def is_customer_archive(customer_rank, is_internal_user_partner, is_company_partner):
    """ARC-7: a partner is an archive when its commercial partner is a customer.

    ``customer_rank`` is the commercial partner's; the partners of internal
    users and of the companies themselves are never archives, whatever rank
    they carry.
    """
    if is_internal_user_partner or is_company_partner:
        return False
    return (customer_rank or 0) > 0


def default_grant_end(today, days=DEFAULT_GRANT_DAYS):
    """ARC-5: the default last day of a grant requested on ``today``."""
    if days is None or days < 1:
        days = DEFAULT_GRANT_DAYS
    return today + timedelta(days=days)


def grant_end_error(date_end, today):
    """ARC-5: a grant ends today or later; ``None`` when ``date_end`` is valid."""
    if not date_end:
        return "end_required"
    if date_end < today:
        return "end_in_past"
    return None


def grant_is_active(state, date_end, today):
    """ARC-5: an approved grant reads until the end of its last day.

    Rejected, cancelled or lapsed requests grant nothing.
    """
    return state == "approved" and bool(date_end) and date_end >= today


def grants_to_lapse(grants):
    """ARC-5: the ids of approved grants whose last day is before their today.

    ``grants`` is an iterable of ``(id, state, date_end, today)``, ``today``
    being the date where the grant's holder is.
    """
    return [
        grant_id
        for grant_id, state, date_end, today in grants
        if state == "approved" and not grant_is_active(state, date_end, today)
    ]


def can_export_archives(is_archive_reader, any_archive):
    """ARC-6: only the all-archives readers may export customer archives."""
    return is_archive_reader or not any_archive
