# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SalesPolicyCase

REL = ("one2many", "many2many", "many2one")


@tagged("post_install", "-at_install")
class TestArchiveRules(SalesPolicyCase):
    """ARC-3, ARC-4, ARC-6, ARC-7: the role matrix on res.partner."""

    def _reads(self, user, partner):
        found = bool(partner.with_user(user).search([("id", "=", partner.id)]))
        try:
            partner.with_user(user).invalidate_recordset()
            partner.with_user(user).read(["name", "customer_characteristics"])
            read = True
        except AccessError:
            read = False
        self.assertEqual(found, read, f"search and read disagree for {user.login}")
        return read

    def _writes(self, user, partner):
        try:
            with self.env.cr.savepoint():
                partner.with_user(user).write({"comment": f"edited by {user.login}"})
            return True
        except AccessError:
            return False

    def test_arc_role_matrix(self):
        user_partner = self.salesperson2.partner_id
        company_partner = self.env.company.partner_id
        # (role, partner) -> (reads, writes); None: not checked
        matrix = {
            self.salesperson: {
                self.customer: (True, True),
                self.contact: (True, True),
                self.other_customer: (False, False),
                self.other_contact: (False, False),
                user_partner: (True, None),
                company_partner: (True, None),
                self.vendor: (True, True),
            },
            self.manager: {
                self.customer: (True, True),
                self.contact: (True, True),
                self.other_customer: (True, True),
                self.other_contact: (True, True),
                user_partner: (True, None),
                self.vendor: (True, True),
            },
            self.gm: {
                self.customer: (True, True),
                self.other_contact: (True, True),
                user_partner: (True, None),
            },
            self.reader: {
                self.customer: (True, False),
                self.contact: (True, False),
                self.other_customer: (True, False),
                self.other_contact: (True, False),
                user_partner: (True, None),
                company_partner: (True, None),
            },
            self.employee: {
                self.customer: (False, False),
                self.contact: (False, False),
                self.other_customer: (False, False),
                self.other_contact: (False, False),
                user_partner: (True, None),
                company_partner: (True, None),
                self.vendor: (True, None),
            },
            self.admin: {
                self.customer: (True, False),
                self.other_contact: (True, False),
                user_partner: (True, None),
                self.vendor: (True, True),
            },
        }
        for user, cells in matrix.items():
            for partner, (reads, writes) in cells.items():
                with self.subTest(role=user.login, partner=partner.name):
                    self.assertEqual(self._reads(user, partner), reads)
                    if writes is not None:
                        self.assertEqual(self._writes(user, partner), writes)

    def test_arc7_users_and_company_are_not_archives(self):
        self.assertTrue(self.customer.customer_archive)
        self.assertTrue(self.contact.customer_archive)
        self.assertFalse(self.vendor.customer_archive)
        self.assertFalse(self.env.company.partner_id.customer_archive)
        # an internal user's partner stays readable even when it carries a customer rank
        self.salesperson2.partner_id.customer_rank = 3
        self.assertFalse(self.salesperson2.partner_id.customer_archive)
        self.assertTrue(self._reads(self.employee, self.salesperson2.partner_id))
        users = (
            self.env["res.users"]
            .with_user(self.employee)
            .search([("id", "in", (self.salesperson | self.gm).ids)])
        )
        self.assertEqual(users, self.salesperson | self.gm)

    def test_arc7_vendor_becomes_archive_when_it_buys(self):
        self.assertTrue(self._reads(self.employee, self.vendor))
        self.vendor.customer_rank = 1
        self.assertTrue(self.vendor.customer_archive)
        self.assertFalse(self._reads(self.employee, self.vendor))

    def test_arc4_salesperson_sees_only_own_in_lists(self):
        Partner = self.env["res.partner"].with_user(self.salesperson)
        archives = Partner.search([("name", "like", "SDP ")])
        self.assertIn(self.customer, archives)
        self.assertIn(self.contact, archives)
        self.assertNotIn(self.other_customer, archives)
        self.assertNotIn(self.other_contact, archives)
        self.assertEqual(
            Partner.search_count([("id", "in", (self.customer | self.other_customer).ids)]),
            1,
        )

    def test_arc4_salesperson_cannot_add_contact_under_another_customer(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesperson).create(
                {"name": "Sneaky Contact", "parent_id": self.other_customer.id}
            )

    def test_arc4_reassigning_the_customer_moves_the_archive(self):
        self.customer.user_id = self.salesperson2
        self.assertEqual(self.contact.archive_user_id, self.salesperson2)
        self.assertFalse(self._reads(self.salesperson, self.contact))
        self.assertTrue(self._reads(self.salesperson2, self.contact))

    def test_arc4_salesperson_creating_a_customer_becomes_its_salesperson(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .create({"name": "SDP New Lead", "is_company": True, "customer_rank": 1})
        )
        self.assertEqual(partner.user_id, self.salesperson)
        self.assertTrue(partner.customer_archive)
        self.assertTrue(self._reads(self.salesperson, partner))
        self.assertFalse(self._reads(self.salesperson2, partner))
        # a manager chooses the salesperson
        other = (
            self.env["res.partner"]
            .with_user(self.manager)
            .create({"name": "SDP Manager Made", "is_company": True, "customer_rank": 1})
        )
        self.assertFalse(other.user_id)

    def test_arc2_archive_changes_are_tracked(self):
        partner = (
            self.env["res.partner"]
            .with_context(tracking_disable=False)
            .create(
                {
                    "name": "SDP Tracked Co",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": self.salesperson.id,
                }
            )
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        partner.with_user(self.salesperson).write(
            {"phone": "+86 21 1234 5678", "customer_characteristics": "Buys granite"}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        partner.with_user(self.manager).write({"user_id": self.salesperson2.id})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id", "in", partner.message_ids.ids)]
        )
        names = set(tracked.field_id.mapped("name"))
        self.assertTrue({"phone", "customer_characteristics", "user_id"} <= names, names)
        author = partner.message_ids.filtered(
            lambda m: "user_id" in m.tracking_value_ids.field_id.mapped("name")
        ).author_id
        self.assertEqual(author, self.manager.partner_id)

    def test_arc6_export_refused_to_non_readers(self):
        fields_to_export = ["name", "phone", "customer_characteristics"]
        # even with Odoo's export right, which gates the export button
        allow_export = self.env.ref("base.group_allow_export")
        (self.salesperson | self.employee).group_ids = [(4, allow_export.id)]
        for user in (self.salesperson, self.employee):
            with self.subTest(role=user.login), self.assertRaisesRegex(AccessError, "ARC-6"):
                self.customer.with_user(user).export_data(fields_to_export)
        # readers and managers export archives
        for user in (self.reader, self.manager, self.gm, self.admin):
            rows = (
                (self.customer | self.other_customer)
                .with_user(user)
                .export_data(fields_to_export)["datas"]
            )
            self.assertEqual(
                sorted(r[0] for r in rows), sorted([self.customer.name, self.other_customer.name])
            )
        # ARC-7: what is not an archive exports as before
        rows = self.vendor.with_user(self.salesperson).export_data(["name"])["datas"]
        self.assertEqual(rows, [[self.vendor.name]])

    def test_arc6_salesperson_export_of_own_customer_refused(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.salesperson).export_data(["name"])

    def test_arc4_visibility_key_follows_changes(self):
        """The stored key the rule reads stays right when what it derives from changes."""
        self.assertEqual(self.contact.archive_visibility, self.salesperson.id)
        self.assertEqual(self.vendor.archive_visibility, -1)
        self.assertEqual(self.salesperson2.partner_id.archive_visibility, -1)
        # the parent company changes: the contact follows its new commercial partner
        self.other_contact.parent_id = self.customer
        self.assertEqual(self.other_contact.archive_visibility, self.salesperson.id)
        self.assertTrue(self._reads(self.salesperson, self.other_contact))
        self.assertFalse(self._reads(self.salesperson2, self.other_contact))
        # the salesperson changes on the company: every contact follows
        self.customer.user_id = self.salesperson2
        self.assertEqual(self.contact.archive_visibility, self.salesperson2.id)
        self.assertEqual(self.other_contact.archive_visibility, self.salesperson2.id)
        # no salesperson: an archive nobody restricted reads
        self.customer.user_id = False
        self.assertEqual(self.customer.archive_visibility, -2)
        self.assertFalse(self._reads(self.salesperson2, self.customer))
        self.assertTrue(self._reads(self.reader, self.customer))
        # the customer rank: a vendor that buys becomes an archive of its salesperson
        self.vendor.user_id = self.salesperson
        self.assertEqual(self.vendor.archive_visibility, -1)
        self.vendor.customer_rank = 1
        self.assertEqual(self.vendor.archive_visibility, self.salesperson.id)
        self.assertFalse(self._reads(self.employee, self.vendor))
        self.assertTrue(self._reads(self.salesperson, self.vendor))

    def test_arc3_reader_opens_the_customer_form(self):
        """An archive reader without a sales or finance role (the GM assistant, the
        design, HR and production heads) opens a customer's form as the web client
        does: every field of the form is read without an access error."""
        Partner = self.env["res.partner"].with_user(self.reader)
        views = Partner.get_views([(False, "form")])
        fields = views["models"]["res.partner"]
        fields = fields.get("fields", fields)
        # the fields the form shows this user (nodes of other groups are removed)
        arch = etree.fromstring(views["views"]["form"]["arch"])
        shown = {node.get("name") for node in arch.xpath("//field[not(ancestor::field)]")}
        spec = {
            name: ({"fields": {"display_name": {}}} if fields[name]["type"] in REL else {})
            for name in shown
            if name in fields
        }
        values = Partner.browse(self.other_customer.id).web_read(spec)[0]
        self.assertEqual(values["name"], self.other_customer.name)
        self.assertNotIn("credit_grade_change_ids", values)

    def test_arc4_planner_keeps_the_owners_statistics(self):
        """ARC-4 at scale: the archive keys the rules filter on keep 1,000 most common
        values, so that PostgreSQL reads a salesperson's customers through the owner
        index instead of walking the name index (bench/partner_rules.py)."""
        self.env.cr.execute(
            """SELECT attname, attstattarget FROM pg_attribute
                WHERE attrelid = 'res_partner'::regclass
                  AND attname IN ('archive_visibility', 'archive_territory_id')"""
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {"archive_visibility": 1000, "archive_territory_id": 1000},
        )
