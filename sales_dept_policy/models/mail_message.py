# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailMessage(models.Model):
    """APR-5: a message on a policy record is its poster's own, created now.

    ``message_post`` of the policy's requests and visits refuses an author, a
    date or tracking lines chosen by the client; a client creating the
    ``mail.message`` itself (which Odoo allows to anyone who may post on the
    document) meets the same refusal here. The addon's own and Odoo's posts run
    as superuser and pass. (Odoo's own documents, partners and orders, keep
    Odoo's rules: its portal and payments post there in the customer's name.)
    """

    _inherit = "mail.message"

    #: the values of a message that its document's guard checks
    #: (tracking lines are Odoo's own when it logs a change; a client cannot
    #: create them, mail.tracking.value being the administrators')
    _POLICY_CHECKED = ("author_id", "author_guest_id", "date", "create_uid", "create_date")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                model = vals.get("model")
                if model in self.env and getattr(self.env[model], "_policy_guard_messages", False):
                    self.env[model]._check_policy_message_values(
                        {key: vals[key] for key in self._POLICY_CHECKED if key in vals}
                    )
        return super().create(vals_list)
