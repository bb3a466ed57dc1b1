# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..policy import travel as trv

#: TRV-3: the means of transport a claim line names, from the policy (labels
#: translated by Odoo).
TRANSPORT_CLASS_SELECTION = list(trv.TRANSPORT_CLASS_LABELS)


class SalesTravelTransportClass(models.Model):
    """TRV-3: a means of transport, offered to the levels that may take it."""

    _name = "sales.travel.transport.class"
    _description = "Transport Class"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(TRANSPORT_CLASS_SELECTION, required=True)
    sequence = fields.Integer(default=10)

    _code_uniq = models.Constraint("UNIQUE (code)", "A transport class exists once.")
