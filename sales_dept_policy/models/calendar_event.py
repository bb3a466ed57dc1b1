# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _get_activity_excluded_models(self):
        # MTG-1: a sales meeting's event is the meeting itself in the calendars, not a
        # "meeting" to-do on it for its organizer
        return super()._get_activity_excluded_models() + ["sales.meeting"]
