# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesTravelPerDiemRate(models.Model):
    """TRV-9 (出差生活补贴按地区标准): the daily per diem of a region.

    A trip to a territory, or to one of its sub-territories, is paid this rate a
    day; the most specific territory with a rate wins, and where none applies
    the default rate of Settings (the cost of the Travel Per Diem product).

    Access: every employee reads the rates; policy administrators edit them.
    """

    _name = "sales.travel.per.diem.rate"
    _description = "Regional Per Diem Rate"
    _order = "company_id, territory_id, id"
    _check_company_auto = True

    territory_id = fields.Many2one(
        "sales.territory",
        required=True,
        index=True,
        ondelete="cascade",
        help="TRV-9: trips to this territory and its sub-territories are paid this rate, "
        "unless a sub-territory has its own.",
    )
    amount = fields.Monetary(
        string="Per Diem per Day",
        required=True,
        currency_field="currency_id",
        help="TRV-9: the daily allowance on out-of-town trips to the territory.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)

    _territory_company_uniq = models.Constraint(
        "UNIQUE (territory_id, company_id)",
        "A territory has one per diem rate per company (TRV-9).",
    )

    @api.depends("territory_id", "amount")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = f"{rate.territory_id.display_name}: {rate.amount}"

    @api.constrains("amount")
    def _check_amount(self):
        for rate in self:
            if rate.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Per Diem per Day of %(territory)s cannot be negative (TRV-9).",
                        territory=rate.territory_id.display_name,
                    )
                )

    @api.model
    def _rates_by_territory(self, company, territories):
        """TRV-9: ``{territory id: amount}`` of a company, and the tree above
        ``territories`` as ``{territory id: parent id}``, read once for a batch
        of trips. Rates and territories are readable by every employee; read as
        superuser so that a trip's rate is the same whoever computes it."""
        parents, tree = {}, set(territories.ids)
        # parent_path "1/5/9/" is the chain from the root down to the territory
        for territory in territories.sudo():
            path = [int(part) for part in (territory.parent_path or "").split("/") if part]
            tree.update(path)
            for child, parent in zip(path[1:], path[:-1], strict=True):
                parents[child] = parent
        rates = {
            rate.territory_id.id: rate.amount
            for rate in self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("territory_id", "in", list(tree)),
                ]
            )
        }
        return rates, parents
