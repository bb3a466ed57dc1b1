# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # ORD-5, CRD-1: a customer invoice of a graded order is due when the policy
        # says (the deposit at once, the balance by the grade's event), not when the
        # payment terms count from the invoice date: drafts get the date before
        # they are posted, posted ones once the deliveries give it
        drafts = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft")
        drafts.invoice_line_ids.sale_line_ids.order_id._prepare_invoices_due_dates(drafts)
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda m: m.move_type == "out_invoice"
        ).line_ids.sale_line_ids.order_id._sync_invoice_due_dates()
        return posted
