# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """MTG-4: the owner's to-do of a meeting decision marked done closes the
        decision (and the decision reported done closes its to-do, the other way)."""
        todo = self.env.ref(
            "sales_dept_policy.mail_activity_type_meeting_decision", raise_if_not_found=False
        )
        decision_ids = [
            activity.res_id
            for activity in self
            if todo
            and activity.res_model == "sales.meeting.decision"
            and activity.activity_type_id == todo
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if decision_ids:
            # mail let the assignee mark their to-do done; the decision follows it, as
            # superuser for this state only (the owner does not edit decisions)
            decisions = self.env["sales.meeting.decision"].sudo().browse(decision_ids).exists()
            decisions._mark_done(feedback=feedback)
        return result
