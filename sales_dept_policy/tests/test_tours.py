# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The main flows in the web client: each tour of static/tests/tours is run in
Chromium by ``start_tour``, logged in as the role that does the step; the
records it leaves are then checked here, on the server."""

import unittest
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestTours(SalesPolicyCase, HttpCase):
    """VIS-2, TRV-1/TRV-13, ARC-5 through the forms, the buttons and the menus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        # BUD-2: these travellers have no budget; the settings let their trips and
        # claims through without one (test_budget tests the other settings)
        cls.env["ir.config_parameter"].set_param("sales_dept_policy.budget_missing_policy", "allow")
        # the names the tours look for, in the language of their labels
        for user, name in (
            (cls.salesperson, "SDP Tour Salesperson"),
            (cls.manager, "SDP Tour Manager"),
            (cls.gm, "SDP Tour GM"),
            (cls.employee, "SDP Tour Employee"),
        ):
            user.write({"name": name, "lang": "en_US"})
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {
                "name": "SDP Tour Manager",
                "user_id": cls.manager.id,
                "travel_level_id": ref("sales_dept_policy.travel_level_manager").id,
                "tz": "Asia/Shanghai",
            }
        )
        # the manager is the salesperson's reviewer (VIS-2) and approver (TRV-1)
        cls.emp_sp = Employee.create(
            {
                "name": "SDP Tour Salesperson",
                "user_id": cls.salesperson.id,
                "parent_id": cls.emp_manager.id,
                "travel_level_id": ref("sales_dept_policy.travel_level_staff").id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.customer.phone = "+86 571 8888 6666"

    def _tour(self, name, user):
        """Run the tour ``name`` from the home menu, logged in as ``user``. Without
        Chromium or websocket-client, Odoo skips a tour: here that is a failure,
        for these are the web client's only tests (see requirements.txt)."""
        try:
            self.start_tour("/odoo", name, login=user.login)
        except unittest.SkipTest as skip:
            self.fail(f"tour {name} could not run: {skip}")

    def _messages(self, record):
        return record.sudo().message_ids.mapped("body")

    # ------------------------------------------------------------------
    # VIS-1, VIS-2, VIS-5: a salesperson logs a visit and submits its report
    # ------------------------------------------------------------------
    def test_visit_logged_and_submitted_in_the_web_client(self):
        Visit = self.env["sales.visit"]
        before = Visit.search([("user_id", "=", self.salesperson.id)])
        self._tour("sales_dept_policy_visit_tour", self.salesperson)

        self.env.invalidate_all()
        visit = Visit.search([("user_id", "=", self.salesperson.id)]) - before
        self.assertEqual(len(visit), 1, "the tour logged one visit")
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.create_uid, self.salesperson)
        self.assertEqual(visit.state, "submitted")
        self.assertEqual(visit.kind, "onsite")
        self.assertEqual(visit.purpose, "Present the spring range")
        self.assertEqual(visit.outcome, "Agreed on the spring prices")
        self.assertEqual(visit.contact_name, "Manager Wu")
        self.assertTrue(visit.customer_requested)
        self.assertTrue(visit.urgent)
        # VIS-3: an on-site visit the customer asked for counts
        self.assertTrue(visit.is_effective)
        # VIS-5: one follow-up of the salesperson a request line
        follow_ups = visit.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(
            sorted(follow_ups.mapped("summary")),
            ["Follow up: Quote 200 units", "Follow up: Send samples"],
        )
        # VIS-2: the urgent report reaches the salesperson's manager at once
        urgent = visit.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(urgent.mapped("summary"), [f"Urgent visit report: {visit.display_name}"])
        posted = visit.message_ids.filtered(lambda m: "URGENT." in (m.body or ""))
        self.assertEqual(len(posted), 1)
        self.assertIn(
            "Report submitted by SDP Tour Salesperson for review by SDP Tour Manager",
            posted.body,
        )
        self.assertEqual(posted.author_id, self.salesperson.partner_id)
        self.assertIn(self.manager.partner_id, posted.partner_ids)

    # ------------------------------------------------------------------
    # TRV-1, TRV-13: a trip requested and approved, a claim line capped
    # ------------------------------------------------------------------
    def _approved_trip(self):
        """An earlier trip of the salesperson, approved: its claim is filed in the tour."""
        start = datetime.now().replace(microsecond=0) + timedelta(days=3)
        trip = (
            self.env["sales.trip"]
            .with_user(self.salesperson)
            .create(
                {
                    "destination": "Suzhou",
                    "purpose": "Visit the plant",
                    "planned_departure": start,
                    "planned_return": start + timedelta(days=2, hours=9),
                }
            )
        )
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")
        return trip

    def test_trip_approved_and_claim_capped_in_the_web_client(self):
        earlier = self._approved_trip()
        Trip = self.env["sales.trip"]
        trips = [("user_id", "=", self.salesperson.id), ("destination", "=", "Hangzhou")]
        self.assertFalse(Trip.search(trips))

        # the salesperson claims the hotel of the earlier trip and requests a new one
        self._tour("sales_dept_policy_trip_traveller_tour", self.salesperson)
        self.env.invalidate_all()
        hotel = earlier.expense_ids.filtered(lambda e: e.travel_kind == "lodging")
        self.assertEqual(len(hotel), 1, "the tour claimed one hotel")
        self.assertEqual(hotel.create_uid, self.salesperson)
        self.assertEqual(hotel.name, "SDP Tour Hotel")
        self.assertEqual(hotel.employee_id, self.emp_sp)
        self.assertEqual((hotel.nights, hotel.total_amount), (2, 200.0))
        self.assertEqual(hotel.approval_state, "submitted")
        # TRV-6: 2 nights at the staff cap of 60
        self.assertEqual((hotel.policy_amount, hotel.policy_rule), (120.0, "TRV-6"))
        self.assertTrue(hotel.policy_exceeded)
        self.assertEqual(earlier.exceeded_total, 80.0)

        trip = Trip.search(trips)
        self.assertEqual(len(trip), 1, "the tour requested one trip")
        self.assertEqual(trip.state, "submitted")
        self.assertEqual(trip.employee_id, self.emp_sp)
        self.assertEqual(trip.travel_level_id, self.env.ref("sales_dept_policy.travel_level_staff"))
        self.assertEqual(trip.partner_id, self.customer)
        self.assertEqual(trip.submitted_by_id, self.salesperson)
        self.assertEqual(trip.manager_user_id, self.manager)
        self.assertIn("SDP Own Customer Co", trip.purpose)
        self.assertNotEqual(trip.name, "New")
        # 08:30 to 18:00 two days later, whatever the browser's time zone
        self.assertGreater(trip.planned_departure, datetime.now())
        self.assertEqual(
            trip.planned_return - trip.planned_departure, timedelta(days=2, hours=9, minutes=30)
        )
        self.assertEqual(trip.activity_ids.user_id, self.manager, "the manager's to-do (APR-2)")

        # the manager approves it, then caps and approves the hotel
        self._tour("sales_dept_policy_trip_manager_tour", self.manager)
        self.env.invalidate_all()
        self.assertEqual(trip.state, "approved")
        self.assertEqual(trip.decided_by_id, self.manager)
        self.assertFalse(trip.activity_ids, "the manager's to-do is done")
        self.assertIn("Approved by SDP Tour Manager.", "".join(self._messages(trip)))

        self.assertEqual(hotel.approval_state, "approved")
        self.assertEqual(hotel.total_amount, 120.0)
        self.assertEqual(hotel.policy_amount, 120.0)
        self.assertFalse(hotel.policy_exceeded)
        capped = "".join(self._messages(hotel))
        self.assertIn("Capped from", capped)
        self.assertIn("SDP Tour Manager", capped)
        self.assertIn("SDP Tour Hotel capped from", "".join(self._messages(earlier)))
        # the trip's claim: the capped hotel and the per diem of its approval (TRV-9)
        self.assertGreater(earlier.per_diem_amount, 0.0)
        claim = 120.0 + earlier.per_diem_amount
        self.assertEqual(
            (earlier.claimed_total, earlier.allowed_total, earlier.exceeded_total),
            (claim, claim, 0.0),
        )

    # ------------------------------------------------------------------
    # ARC-5: an employee asks for a customer's archive, the GM approves
    # ------------------------------------------------------------------
    def _reads(self, user, partner):
        return bool(partner.with_user(user).search([("id", "=", partner.id)]))

    def test_access_requested_and_approved_in_the_web_client(self):
        Request = self.env["sales.archive.access.request"]
        mine = [("requester_id", "=", self.employee.id)]
        self.assertFalse(Request.search(mine))
        self.assertFalse(self._reads(self.employee, self.other_customer))

        # the employee names a customer they cannot read, and submits
        self._tour("sales_dept_policy_access_request_tour", self.employee)
        self.env.invalidate_all()
        request = Request.search(mine)
        self.assertEqual(len(request), 1, "the tour filed one request")
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.sudo().partner_ids, self.other_customer)
        self.assertEqual(request.reason, "Preparing the delivery of the spring order")
        self.assertEqual(request.submitted_by_id, self.employee)
        self.assertIn(self.gm, request.sudo().activity_ids.user_id)
        self.assertFalse(self._reads(self.employee, self.other_customer))

        # a general manager approves it from the requests to decide
        self._tour("sales_dept_policy_access_approve_tour", self.gm)
        self.env.invalidate_all()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.gm)
        self.assertFalse(request.sudo().activity_ids, "every general manager's to-do is done")
        self.assertIn("Approved by SDP Tour GM.", "".join(self._messages(request)))
        # ARC-5: the grant is the employee's, of that customer only
        self.assertTrue(self._reads(self.employee, self.other_customer))
        self.assertFalse(self._reads(self.employee, self.customer))
