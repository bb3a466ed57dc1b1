# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user


class SalesPolicyCase(TransactionCase):
    """One user per role of SPEC.md, and customers of two salespersons.

    Never relies on demo data: everything the tests read is built here.
    """

    @classmethod
    def _new_user(cls, login, groups):
        """A user of ``groups`` (xmlids, comma-separated), in Shanghai time."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            tz="Asia/Shanghai",
            context={"no_reset_password": True},
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        ref = cls.env.ref
        # ARC-5: the setting is on by default; make sure, whatever the database says.
        ref("base.group_user")._apply_group(ref("sales_dept_policy.group_archive_restricted"))

        user = cls._new_user
        cls.salesperson = user("sdp_sp", "sales_dept_policy.group_salesperson")
        cls.salesperson2 = user("sdp_sp2", "sales_dept_policy.group_salesperson")
        cls.manager = user("sdp_mgr", "sales_dept_policy.group_sales_manager")
        cls.gm = user("sdp_gm", "sales_dept_policy.group_general_manager")
        cls.gm2 = user("sdp_gm2", "sales_dept_policy.group_general_manager")
        cls.reader = user("sdp_reader", "sales_dept_policy.group_archive_reader")
        cls.employee = user("sdp_emp", "base.group_user")
        cls.admin = user("sdp_admin", "base.group_system,sales_dept_policy.group_policy_admin")

        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "SDP Own Customer Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson.id,
            }
        )
        cls.contact = Partner.create({"name": "SDP Own Contact", "parent_id": cls.customer.id})
        cls.other_customer = Partner.create(
            {
                "name": "SDP Other Customer Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson2.id,
            }
        )
        cls.other_contact = Partner.create(
            {"name": "SDP Other Contact", "parent_id": cls.other_customer.id}
        )
        cls.vendor = Partner.create(
            {"name": "SDP Vendor Only", "is_company": True, "supplier_rank": 1}
        )
