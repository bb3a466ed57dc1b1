# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-10 09:00:00")
class TestAccessRequest(SalesPolicyCase):
    """ARC-5: access requests, the grant they give, and its lapse."""

    def _request(self, user=None, partners=None, **vals):
        user = user or self.employee
        return (
            self.env["sales.archive.access.request"]
            .with_user(user)
            .create(
                {
                    "partner_ids": [(6, 0, (partners or self.other_customer).ids)],
                    "reason": "Preparing a delivery",
                    **vals,
                }
            )
        )

    def _reads(self, user, partner):
        return bool(partner.with_user(user).search([("id", "=", partner.id)]))

    def test_arc5_default_end_is_seven_days(self):
        request = self._request()
        self.assertEqual(request.date_end, date(2026, 11, 17))
        self.assertEqual(request.requester_id, self.employee)
        self.assertTrue(request.name.startswith("ARQ/2026/"))

    def test_arc5_default_end_follows_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.archive_grant_days", "3"
        )
        self.assertEqual(self._request().date_end, date(2026, 11, 13))

    def test_arc5_flow_grant_and_lapse(self):
        self.assertFalse(self._reads(self.employee, self.other_customer))
        request = self._request()
        # the requester sees the names of what they asked for, not the archive
        self.assertEqual(request.partner_names, self.other_customer.name)
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.submitted_by_id, self.employee)
        # every general manager gets an activity (APR-2)
        activities = request.sudo().activity_ids
        gms = self.env.ref("sales_dept_policy.group_general_manager").all_user_ids
        self.assertEqual(activities.user_id, gms)
        self.assertTrue(self.gm | self.gm2 <= activities.user_id)
        self.assertFalse(self._reads(self.employee, self.other_customer))

        request.with_user(self.gm).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.gm)
        self.assertFalse(request.sudo().activity_ids)
        self.assertIn(self.employee, self.other_customer.archive_grant_user_ids)
        # read, with the contacts under the customer, and nothing else
        self.assertTrue(self._reads(self.employee, self.other_customer))
        self.assertTrue(self._reads(self.employee, self.other_contact))
        self.assertFalse(self._reads(self.employee, self.customer))
        # a grant is read, not write
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.employee).write({"comment": "x"})
        # a contact added later under the customer comes with the grant
        late = self.env["res.partner"].create(
            {"name": "SDP Late Contact", "parent_id": self.other_customer.id}
        )
        self.assertTrue(self._reads(self.employee, late))
        body = request.sudo().message_ids.mapped("body")
        self.assertTrue(any("Approved by" in b for b in body))

        # still readable on the last day, to its end in the requester's time zone
        # (Asia/Shanghai, UTC+8): 15:00 UTC is 23:00 there
        with freeze_time("2026-11-17 15:00:00"):
            self.env["sales.archive.access.request"]._cron_lapse_grants()
            self.assertEqual(request.state, "approved")
            self.assertTrue(self._reads(self.employee, self.other_customer))
        # the day after, the cron lapses it and the read goes away: 16:10 UTC is
        # already 00:10 on the 18th in Shanghai
        with freeze_time("2026-11-17 16:10:00"):
            self.env["sales.archive.access.request"]._cron_lapse_grants()
            self.assertEqual(request.state, "expired")
            self.assertFalse(self.other_customer.archive_grant_user_ids)
            self.assertFalse(self._reads(self.employee, self.other_customer))
            self.assertFalse(self._reads(self.employee, late))
        # requests and decisions are kept
        with self.assertRaises(UserError):
            request.sudo().unlink()

    def test_arc5_two_grants_one_lapses(self):
        first = self._request(date_end=date(2026, 11, 12))
        second = self._request(date_end=date(2026, 11, 20))
        (first | second).action_submit()
        (first | second).with_user(self.gm).action_approve()
        with freeze_time("2026-11-13 01:00:00"):
            self.env["sales.archive.access.request"]._cron_lapse_grants()
            self.assertEqual(first.state, "expired")
            self.assertEqual(second.state, "approved")
            self.assertTrue(self._reads(self.employee, self.other_customer))

    def test_arc5_rejected_grants_nothing(self):
        request = self._request()
        request.action_submit()
        request.with_user(self.gm).action_reject(reason="No business need")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.reject_reason, "No business need")
        self.assertFalse(self._reads(self.employee, self.other_customer))
        with self.assertRaises(UserError):
            request.unlink()

    def test_arc5_end_date_in_past_refused(self):
        with self.assertRaises(ValidationError):
            self._request(date_end=date(2026, 11, 9))
        # today is fine
        self.assertEqual(self._request(date_end=date(2026, 11, 10)).date_end, date(2026, 11, 10))

    def test_arc5_only_general_manager_decides(self):
        request = self._request()
        request.action_submit()
        for user in (self.manager, self.reader, self.salesperson, self.employee):
            with self.subTest(role=user.login), self.assertRaises(AccessError):
                request.with_user(user).sudo(False).action_approve()
        self.assertEqual(request.state, "submitted")

    def test_arc5_general_manager_cannot_grant_themselves(self):
        # a general manager reads all anyway, but the rule holds: requests that
        # concern the decider go to another general manager (APR-4)
        request = self._request(user=self.gm)
        request.with_user(self.gm).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_approve()
        request.with_user(self.gm2).action_approve()
        self.assertEqual(request.decided_by_id, self.gm2)

    def test_arc5_requester_sees_only_own_requests(self):
        mine = self._request()
        theirs = self._request(user=self.salesperson)
        Request = self.env["sales.archive.access.request"]
        self.assertEqual(Request.with_user(self.employee).search([]), mine)
        self.assertEqual(
            Request.with_user(self.gm).search([("id", "in", (mine | theirs).ids)]), mine | theirs
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.employee).read(["reason"])

    def test_arc5_naming_customers_one_cannot_read(self):
        Partner = self.env["res.partner"].with_user(self.employee)
        # an ordinary search finds nothing
        self.assertFalse(Partner.name_search("SDP Other"))
        picked = Partner.with_context(sales_archive_request_pick=True).name_search("SDP Other")
        self.assertEqual([pid for pid, _name in picked], [self.other_customer.id])
        # contacts are not offered, and fewer than 3 letters find nothing
        self.assertFalse(Partner.with_context(sales_archive_request_pick=True).name_search("SD"))
        web = Partner.with_context(sales_archive_request_pick=True).web_name_search(
            "SDP Other Customer", {"display_name": {}}
        )
        self.assertEqual(web[0]["id"], self.other_customer.id)
        self.assertEqual(web[0]["display_name"], self.other_customer.name)
        # the partner itself is still not readable
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.employee).read(["phone"])

    def test_arc5_request_from_customer_form(self):
        action = self.customer.with_user(self.salesperson).action_request_archive_access()
        self.assertEqual(action["res_model"], "sales.archive.access.request")
        self.assertEqual(action["context"]["default_partner_ids"], [(6, 0, [self.customer.id])])

    def test_arc5_request_names_unreadable_customers_only(self):
        self.env.invalidate_all()
        request = self._request()
        self.assertEqual(request.sudo().partner_ids, self.other_customer)
        # adding another customer on the draft, as the requester
        request.with_user(self.employee).write({"partner_ids": [(4, self.customer.id)]})
        self.assertEqual(request.sudo().partner_ids, self.other_customer | self.customer)
        # contacts and non-customers are not archives to request
        for partner in (self.other_contact, self.vendor):
            with (
                self.subTest(partner=partner.name),
                self.assertRaisesRegex(ValidationError, "ARC-5"),
            ):
                self._request(partners=partner)
        request.action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            request.with_user(self.employee).write({"partner_ids": [(3, self.customer.id)]})
        self.assertEqual(request.sudo().partner_ids, self.other_customer | self.customer)
        # another employee cannot touch it
        with self.assertRaises(AccessError):
            request.with_user(self.salesperson).write({"partner_ids": [(5, 0, 0)]})

    def test_arc5_request_form_as_requester(self):
        """The form path of the web client: pick a customer one cannot read."""
        self.env.invalidate_all()
        Request = self.env["sales.archive.access.request"].with_user(self.employee)
        with Form(Request) as form:
            form.partner_pick_id = self.other_customer
            self.assertEqual(form.partner_names, self.other_customer.name)
            form.reason = "Production visit"
        request = form.record
        self.assertEqual(request.sudo().partner_ids, self.other_customer)
        with Form(request) as form:
            form.partner_pick_id = self.customer
        self.assertEqual(request.sudo().partner_ids, self.other_customer | self.customer)
        self.assertEqual(request.partner_names, f"{self.other_customer.name}, {self.customer.name}")
        request.action_clear_partners()
        self.assertFalse(request.sudo().partner_ids)
        with self.assertRaisesRegex(ValidationError, "at least one customer"):
            request.action_submit()
