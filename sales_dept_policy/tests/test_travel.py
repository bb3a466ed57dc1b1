# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 02:00:00")
class TestTravel(SalesPolicyCase):
    """TRV-1..13: trips approved before travel, claims capped by the standards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        # BUD-2: these travellers have no budget; with the default setting their trips
        # and claims would wait for the general manager too (test_budget tests that)
        cls.env["ir.config_parameter"].set_param("sales_dept_policy.budget_missing_policy", "allow")
        cls.staff = ref("sales_dept_policy.travel_level_staff")
        cls.senior = ref("sales_dept_policy.travel_level_senior")
        cls.manager_level = ref("sales_dept_policy.travel_level_manager")
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {
                "name": "SDP Manager",
                "user_id": cls.manager.id,
                "travel_level_id": cls.manager_level.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.emp_sp = Employee.create(
            {
                "name": "SDP Salesperson",
                "user_id": cls.salesperson.id,
                "parent_id": cls.emp_manager.id,
                "travel_level_id": cls.staff.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.emp_sp2 = Employee.create(
            {
                "name": "SDP Salesperson Two",
                "user_id": cls.salesperson2.id,
                "parent_id": cls.emp_manager.id,
                "travel_level_id": cls.senior.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.lodging = ref("sales_dept_policy.product_travel_lodging")
        cls.transport = ref("sales_dept_policy.product_travel_transport")

    # ------------------------------------------------------------------
    def _trip(self, user=None, **vals):
        user = user or self.salesperson
        return (
            self.env["sales.trip"]
            .with_user(user)
            .create(
                {
                    "destination": "Hangzhou",
                    "purpose": "Visit Hengda",
                    # 08:30 and, three days later, 18:00 in Shanghai
                    "planned_departure": datetime(2027, 3, 10, 0, 30),
                    "planned_return": datetime(2027, 3, 13, 10, 0),
                    **vals,
                }
            )
        )

    def _approved_trip(self, user=None, **vals):
        trip = self._trip(user, **vals)
        trip.with_user(user or self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        return trip

    def _line(self, trip, product, amount, user=None, **vals):
        return (
            self.env["hr.expense"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "name": "Claim",
                    "employee_id": trip.employee_id.id,
                    "product_id": product.id,
                    "trip_id": trip.id,
                    "total_amount_currency": amount,
                    "date": date(2027, 3, 10),
                    "payment_mode": "own_account",
                    **vals,
                }
            )
        )

    # ------------------------------------------------------------------
    def test_trv1_trip_approved_by_the_travellers_manager(self):
        trip = self._trip(flight_requested=True, pre_approval_reason="Fair closes tomorrow")
        self.assertEqual(trip.employee_id, self.emp_sp)
        self.assertEqual(trip.travel_level_id, self.staff)
        self.assertEqual(trip.manager_user_id, self.manager)
        trip.with_user(self.salesperson).action_submit()
        self.assertEqual(trip.state, "submitted")
        self.assertTrue(
            trip.activity_ids.filtered(lambda a: a.user_id == self.manager),
            "the manager has a to-do (APR-2)",
        )
        # not the traveller, not another salesperson (APR-4, TRV-1)
        with self.assertRaises(AccessError):
            trip.with_user(self.salesperson).action_approve()
        with self.assertRaises(AccessError):
            trip.with_user(self.salesperson2).action_approve()
        self.assertFalse(trip.flight_approved)
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")
        self.assertTrue(trip.flight_approved)
        self.assertFalse(trip.taxi_approved)
        self.assertTrue(any("Approved by" in (m.body or "") for m in trip.message_ids))
        # APR-3: what was approved is locked, the ticket times are not
        with self.assertRaisesRegex(UserError, "APR-3"):
            trip.with_user(self.salesperson).destination = "Suzhou"
        trip.with_user(self.salesperson).return_at = datetime(2027, 3, 13, 3, 0)
        with self.assertRaisesRegex(UserError, "APR-3"):
            trip.with_user(self.salesperson).unlink()

    def test_trv1_ticket_times_only_and_approval_asked_directly(self):
        """A trip given only its ticket times, asking flight_approved on the draft."""
        trip = (
            self.env["sales.trip"]
            .with_user(self.salesperson)
            .create(
                {
                    "destination": "Ningbo",
                    "purpose": "Site visit",
                    "departure_at": datetime(2027, 3, 20, 4, 0),  # 12:00 in Shanghai
                    "return_at": datetime(2027, 3, 21, 4, 1),  # 12:01 the next day
                    "flight_approved": True,
                }
            )
        )
        self.assertEqual(trip.trip_days, 2.0)
        self.assertTrue(trip.flight_requested)
        trip.with_user(self.salesperson).action_submit()
        self.assertFalse(trip.flight_approved, "granted by the decision, not by asking")
        self.assertEqual(trip.planned_departure, datetime(2027, 3, 20, 4, 0))
        trip.with_user(self.manager).action_approve()
        self.assertTrue(trip.flight_approved)
        flight = self._line(trip, self.transport, 900.0, transport_class="flight")
        self.assertEqual((flight.policy_amount, flight.policy_exceeded), (900.0, False))

    def test_trv1_requested_before_travel_and_dates(self):
        past = self._trip(
            planned_departure=datetime(2027, 2, 27, 1, 0),
            planned_return=datetime(2027, 2, 28, 9, 0),
        )
        with self.assertRaisesRegex(UserError, "TRV-1"):
            past.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(ValidationError, "Planned Return"), self.env.cr.savepoint():
            self._trip(planned_return=datetime(2027, 3, 9, 0, 0))
        trip = self._approved_trip()
        with self.assertRaisesRegex(ValidationError, "Return Arrival"):
            trip.with_user(self.salesperson).write(
                {
                    "departure_at": datetime(2027, 3, 10, 1, 0),
                    "return_at": datetime(2027, 3, 10, 0, 0),
                }
            )
        with self.assertRaisesRegex(ValidationError, "TRV-11"):
            trip.with_user(self.salesperson).hosted_days = 9

    def test_trv1_other_salesperson_cannot_read_the_trip(self):
        trip = self._trip()
        self.assertFalse(self.env["sales.trip"].with_user(self.salesperson2).search([]))
        with self.assertRaises(AccessError):
            trip.with_user(self.salesperson2).read(["destination"])
        self.assertIn(trip, self.env["sales.trip"].with_user(self.manager).search([]))

    def test_ter3_out_of_territory_trip(self):
        Territory = self.env["sales.territory"]
        country = self.env.ref("base.cn")
        mine = Territory.create(
            {"name": "SDP East", "country_id": country.id, "user_ids": [(4, self.salesperson.id)]}
        )
        other = Territory.create({"name": "SDP West", "country_id": country.id})
        self.customer.write({"territory_id": mine.id, "territory_manual": True})
        inside = self._trip(partner_id=self.customer.id)
        self.assertFalse(inside.out_of_territory)
        self.assertEqual(inside.territory_id, mine)
        self.customer.write({"territory_id": other.id, "territory_manual": True})
        outside = self._trip(partner_id=self.customer.id)
        self.assertTrue(outside.out_of_territory)
        outside.with_user(self.salesperson).action_submit()
        self.assertTrue(any("TER-3" in (m.body or "") for m in outside.message_ids))
        # the manager's approval covers it
        outside.with_user(self.manager).action_approve()
        self.assertEqual(outside.state, "approved")

    def test_trv9_11_per_diem_line_in_travellers_time_zone(self):
        trip = self._approved_trip()
        # 08:30 → 18:00 three days later in Shanghai: 1 + 2 + 1
        self.assertEqual(trip.trip_days, 4.0)
        # the approval created the per diem line (TRV-9)
        line = trip.expense_ids
        self.assertEqual(line.product_id, self.env.ref("sales_dept_policy.product_travel_per_diem"))
        self.assertEqual((line.quantity, line.total_amount), (4.0, 120.0))
        self.assertEqual(line.employee_id, self.emp_sp)
        # hosted a day: the draft line follows (TRV-11)
        trip.with_user(self.salesperson).hosted_days = 1
        self.assertEqual(trip.per_diem_days, 3.0)
        self.assertEqual(trip.per_diem_amount, 90.0)
        trip.with_user(self.salesperson).action_create_per_diem()
        self.assertEqual(trip.expense_ids, line)
        self.assertEqual((line.quantity, line.total_amount), (3.0, 90.0))
        self.assertEqual(line.travel_kind, "per_diem")
        self.assertFalse(line.policy_exceeded)
        # the same tickets of a traveller in London: 00:30 → 1, back at 10:00 → 0.5
        self.emp_sp2.tz = "Europe/London"
        london = self._trip(user=self.salesperson2)
        self.assertEqual(london.trip_days, 3.5)
        # claiming a day more than the trip gives is above the standard (TRV-11)
        line.with_user(self.salesperson).quantity = 4
        self.assertTrue(line.policy_exceeded)
        self.assertEqual(line.policy_amount, 90.0)

    def test_trv9_per_diem_rate_from_settings_and_intra_city(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.sales_policy_per_diem, 30.0)
        settings.sales_policy_per_diem = 40.0
        settings.execute()
        trip = self._approved_trip()
        self.assertEqual(trip.per_diem_amount, 160.0)
        city = self._approved_trip(
            is_intra_city=True,
            planned_departure=datetime(2027, 3, 10, 1, 0),
            planned_return=datetime(2027, 3, 10, 9, 0),
        )
        self.assertEqual((city.trip_days, city.per_diem_days), (1.0, 0.0))
        with self.assertRaisesRegex(UserError, "TRV-9"):
            city.with_user(self.salesperson).action_create_per_diem()

    def test_trv6_trv13_cap_before_approval(self):
        trip = self._approved_trip()
        line = self._line(trip, self.lodging, 240.0, nights=3)
        self.assertEqual(line.travel_kind, "lodging")
        self.assertEqual((line.policy_amount, line.policy_rule), (180.0, "TRV-6"))
        self.assertTrue(line.policy_exceeded)
        self.assertIn("TRV-6", line.policy_note)
        line.with_user(self.salesperson).action_submit()
        self.assertEqual(line.approval_state, "submitted")
        # the manager approves the team's expenses, never above the standard
        self.assertFalse(line.with_user(self.manager).can_approve)
        with self.assertRaisesRegex(UserError, "TRV-13"):
            line.with_user(self.manager).action_approve()
        # the traveller cannot cap their own line
        self.assertTrue(line.with_user(self.manager).policy_can_cap)
        self.assertFalse(line.with_user(self.salesperson).policy_can_cap)
        with self.assertRaisesRegex(UserError, "TRV-13"):
            line.with_user(self.salesperson).action_policy_cap()
        line.with_user(self.manager).action_policy_cap()
        self.assertEqual(line.total_amount, 180.0)
        self.assertFalse(line.policy_exceeded)
        self.assertIn("Capped from", line.message_ids[0].body)
        self.assertIn("capped", trip.message_ids[0].body)
        line.with_user(self.manager).action_approve()
        self.assertEqual(line.approval_state, "approved")
        self.assertEqual(
            (trip.claimed_total, trip.allowed_total, trip.exceeded_total), (300, 300, 0)
        )

    def test_trv13_no_silent_approval(self):
        # no manager: hr_expense would auto-approve on submit
        # in Odoo 19 only an expense administrator's own expense is auto-approved
        lone_user = new_test_user(
            self.env,
            login="sdp_lone",
            groups="sales_dept_policy.group_salesperson,hr_expense.group_hr_expense_manager",
        )
        lone = self.env["hr.employee"].create(
            {"name": "SDP Lone", "user_id": lone_user.id, "travel_level_id": self.staff.id}
        )
        trip = self._trip(user=lone_user)
        trip.with_user(lone_user).action_submit()
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.employee_id, lone)
        within = self._line(trip, self.lodging, 60.0, user=lone_user, nights=1)
        above = self._line(trip, self.lodging, 200.0, user=lone_user, nights=1)
        (within | above).with_user(lone_user).action_submit()
        self.assertEqual(within.approval_state, "approved")
        self.assertEqual(above.approval_state, "submitted")
        with self.assertRaisesRegex(ValidationError, "TRV-13"):
            above.write({"approval_state": "approved"})

    def test_trv1_claim_needs_an_approved_trip(self):
        trip = self._trip()
        line = self._line(trip, self.transport, 40.0, transport_class="bus")
        with self.assertRaisesRegex(UserError, "TRV-1"):
            line.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(ValidationError, "TRV-13"), self.env.cr.savepoint():
            self._line(self._approved_trip(), self.transport, -5.0, transport_class="bus")

    def test_trv13_travel_kind_follows_the_trip(self):
        """A line's kind depends on its trip as well as its product, whatever the
        order of the writes."""
        trip = self._approved_trip()
        gift = self.env["product.product"].create(
            {"name": "SDP Customer Gift", "can_be_expensed": True, "standard_price": 0.0}
        )
        line = (
            self.env["hr.expense"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "Gift",
                    "employee_id": self.emp_sp.id,
                    "product_id": gift.id,
                    "total_amount_currency": 50.0,
                    "date": date(2027, 3, 10),
                    "payment_mode": "own_account",
                }
            )
        )
        self.assertFalse(line.travel_kind)
        line.with_user(self.salesperson).trip_id = trip
        self.assertEqual(line.travel_kind, "other")
        line.with_user(self.salesperson).write({"trip_id": False})
        self.assertFalse(line.travel_kind)
        line.with_user(self.salesperson).write({"trip_id": trip.id, "product_id": self.lodging.id})
        self.assertEqual(line.travel_kind, "lodging")

    def test_trv3_trv4_transport(self):
        trip = self._approved_trip()
        sleeper = self._line(
            trip,
            self.transport,
            158.0,
            transport_class="train_soft_sleeper",
            train_fare_reference=73.0,
        )
        self.assertEqual((sleeper.policy_amount, sleeper.policy_rule), (73.0, "TRV-3"))
        flight = self._line(
            trip, self.transport, 900.0, transport_class="flight", train_fare_reference=300.0
        )
        self.assertEqual((flight.policy_amount, flight.policy_rule), (300.0, "TRV-4"))
        taxi = self._line(trip, self.transport, 50.0, transport_class="taxi")
        self.assertEqual(taxi.policy_amount, 0.0)  # staff: taxi only on approval
        flown = self._approved_trip(
            flight_requested=True,
            taxi_requested=True,
            pre_approval_reason="Lower total cost",
            planned_departure=datetime(2027, 4, 1, 0, 0),
            planned_return=datetime(2027, 4, 2, 10, 0),
        )
        flight2 = self._line(flown, self.transport, 900.0, transport_class="flight")
        taxi2 = self._line(flown, self.transport, 50.0, transport_class="taxi")
        self.assertEqual((flight2.policy_amount, taxi2.policy_amount), (900.0, 50.0))
        # the standards are data: a staff level allowed soft sleepers pays the sleeper
        self.staff.transport_class_ids |= self.env.ref(
            "sales_dept_policy.transport_train_soft_sleeper"
        )
        self.assertEqual(sleeper.policy_amount, 158.0)

    def test_trv8_shared_room_claimed_once(self):
        trip = self._approved_trip()
        trip2 = self._approved_trip(user=self.salesperson2)
        room = self._line(trip, self.lodging, 200.0, nights=2, room_shared_with_id=self.emp_sp2.id)
        # staff 60 + senior 100, 80 %, two nights
        self.assertEqual((room.policy_amount, room.policy_rule), (200.0, "TRV-8"))
        room.with_user(self.salesperson).total_amount_currency = 300.0
        self.assertEqual(room.policy_amount, 256.0)
        with self.assertRaisesRegex(ValidationError, "TRV-8"), self.env.cr.savepoint():
            self._line(
                trip2, self.lodging, 100.0, user=self.salesperson2, nights=1, date=date(2027, 3, 11)
            )
        # the night after the shared stay is the roommate's own
        own = self._line(
            trip2, self.lodging, 100.0, user=self.salesperson2, nights=1, date=date(2027, 3, 12)
        )
        self.assertEqual(own.policy_amount, 100.0)
        # managers do not share rooms
        with self.assertRaisesRegex(ValidationError, "below manager"):
            room.with_user(self.salesperson).room_shared_with_id = self.emp_manager

    def test_trv12_shared_taxi_claimed_once(self):
        trip = self._approved_trip(taxi_requested=True, pre_approval_reason="Samples")
        trip2 = self._approved_trip(
            user=self.salesperson2, taxi_requested=True, pre_approval_reason="Samples"
        )
        self._line(
            trip,
            self.transport,
            80.0,
            transport_class="taxi",
            taxi_shared_with_ids=[Command.set(self.salesperson2.ids)],
        )
        with self.assertRaisesRegex(ValidationError, "TRV-12"), self.env.cr.savepoint():
            self._line(trip2, self.transport, 80.0, user=self.salesperson2, transport_class="taxi")
        other_day = self._line(
            trip2,
            self.transport,
            80.0,
            user=self.salesperson2,
            transport_class="taxi",
            date=date(2027, 3, 11),
        )
        self.assertEqual(other_day.policy_amount, 80.0)

    def test_trv13_exports(self):
        trip = self._approved_trip()
        self._line(trip, self.lodging, 240.0, nights=3, name="Hotel")
        self._line(trip, self.transport, 40.0, transport_class="bus", name="Bus")
        action = trip.with_user(self.salesperson).action_export_claim()
        wizard = (
            self.env["sales.trip.export.wizard"]
            .with_user(self.salesperson)
            .browse(int(action["url"].split("/")[4]))
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.sheetnames, [trip.name.replace("/", "_")])
        rows = list(book.active.iter_rows(values_only=True))
        # under the title row, the trip; its times are the reader's (Asia/Shanghai)
        info = {row[0]: row[1] for row in rows[1:9]}
        self.assertEqual(info["Trip"], trip.name)
        self.assertEqual(info["Departure"], datetime(2027, 3, 10, 8, 30))
        self.assertEqual(info["Return"], datetime(2027, 3, 13, 18, 0))
        lines = {row[1]: row for row in rows if row[1] in ("Hotel", "Bus")}
        self.assertEqual(lines["Hotel"][4:6], (240.0, 180.0))
        self.assertIn("TRV-6", lines["Hotel"][6])
        self.assertEqual(lines["Bus"][4:6], (40.0, 40.0))
        total = rows[-1]
        self.assertEqual(total[3], "Total")
        breaches = (
            self.env["sales.trip.export.wizard"]
            .with_user(self.manager)
            .create({"mode": "breaches", "date_from": "2027-03-01", "date_to": "2027-03-31"})
        )
        breaches.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(breaches.file_data))).active
        # the title row first, then the header
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][2], "SDP Salesperson")
        self.assertEqual(rows[1][5:8], (240.0, 180.0, 60.0))
        # the other salesperson's export sees no breach of someone else's trip
        theirs = (
            self.env["sales.trip.export.wizard"]
            .with_user(self.salesperson2)
            .create({"mode": "breaches", "date_from": "2027-03-01", "date_to": "2027-03-31"})
        )
        theirs.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(theirs.file_data))).active
        self.assertEqual(len(list(sheet.iter_rows(min_row=2, values_only=True))), 1)

    # ------------------------------------------------------------------
    # TRV-8: room sharing is an obligation
    # ------------------------------------------------------------------
    def _two_staff(self, sex2="male"):
        """Two staff salespeople (cap 60), the second of ``sex2``."""
        self.emp_sp.sex = "male"
        self.emp_sp2.write({"sex": sex2, "travel_level_id": self.staff.id})

    def test_trv8_same_gender_single_room_paid_at_half_the_shared_room(self):
        self._two_staff()
        trip = self._approved_trip()
        # the line exists before the colleague's trip is approved: the standard of one
        single = self._line(trip, self.lodging, 180.0, nights=3)
        self.assertEqual((single.policy_amount, single.policy_rule), (180.0, "TRV-6"))
        self.assertFalse(single.room_share_colleague_id)
        trip2 = self._approved_trip(user=self.salesperson2, destination="hangzhou ")
        # the colleague's approval makes the two share: 80 % of 60 + 60, half each
        self.assertEqual(single.room_share_colleague_id, self.emp_sp2)
        self.assertEqual(single.room_share_nights, 3)
        self.assertEqual((single.policy_amount, single.policy_rule), (144.0, "TRV-8"))
        self.assertEqual(single.policy_reason, "room_share_required")
        self.assertTrue(single.policy_exceeded)
        self.assertIn("TRV-8", single.policy_note)
        self.assertEqual(trip.room_share_colleague_id, self.emp_sp2)
        self.assertEqual(trip2.room_share_colleague_id, self.emp_sp)
        # the traveller reads who the colleague was, not the colleague's trip
        self.assertEqual(trip.with_user(self.salesperson).room_share_colleague_id, self.emp_sp2)
        with self.assertRaises(AccessError):
            trip2.with_user(self.salesperson).read(["destination"])
        # the colleague's own single room: half too; the boundary: 144 is within
        theirs = self._line(trip2, self.lodging, 144.0, user=self.salesperson2, nights=3)
        self.assertEqual(theirs.room_share_colleague_id, self.emp_sp)
        self.assertEqual((theirs.policy_amount, theirs.policy_exceeded), (144.0, False))
        theirs.with_user(self.salesperson2).total_amount_currency = 144.01
        self.assertTrue(theirs.policy_exceeded)
        # one of the two claims the shared room naming the other: no half any more
        room = self._line(
            trip2,
            self.lodging,
            150.0,
            user=self.salesperson2,
            nights=1,
            date=date(2027, 3, 13),
            room_shared_with_id=self.emp_sp.id,
        )
        self.assertFalse(room.room_share_colleague_id)
        self.assertEqual((room.policy_amount, room.policy_rule), (96.0, "TRV-8"))
        # the manager approves a capped line only once capped (TRV-13)
        single.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(UserError, "TRV-13"):
            single.with_user(self.manager).action_approve()
        single.with_user(self.manager).action_policy_cap()
        self.assertEqual(single.total_amount, 144.0)

    def _colleague_trip(self, name, level, sex="male", **vals):
        """An approved trip of another traveller, loaded as data is (superuser)."""
        employee = self.env["hr.employee"].create(
            {"name": name, "travel_level_id": level.id, "sex": sex, "tz": "Asia/Shanghai"}
        )
        return self.env["sales.trip"].create(
            {
                "employee_id": employee.id,
                "destination": "Hangzhou",
                "purpose": "Same fair",
                "planned_departure": datetime(2027, 3, 10, 0, 30),
                "planned_return": datetime(2027, 3, 13, 10, 0),
                "state": "approved",
                **vals,
            }
        )

    def test_trv8_no_sharing_across_genders_nights_levels_or_places(self):
        self._two_staff(sex2="female")
        trip = self._approved_trip()
        other = self._approved_trip(user=self.salesperson2)
        line = self._line(trip, self.lodging, 180.0, nights=3)
        self.assertFalse(line.room_share_colleague_id)
        self.assertEqual((line.policy_amount, line.policy_rule), (180.0, "TRV-6"))
        self.assertFalse(trip.room_share_colleague_id)
        self.assertFalse(other.room_share_colleague_id)
        # same gender, but a manager: managers do not share
        manager_trip = self._colleague_trip("SDP Manager Two", self.manager_level)
        self.assertEqual(manager_trip.travel_level_id, self.manager_level)
        self.assertFalse(line.room_share_colleague_id)
        self.assertFalse(manager_trip.room_share_colleague_id)
        # a staff colleague elsewhere, or in Hangzhou after the nights claimed
        self._colleague_trip("SDP Staff Ningbo", self.staff, destination="Ningbo")
        later = self._colleague_trip(
            "SDP Staff Later",
            self.staff,
            # 08:30 on the 12th: the night of the 12th only, after the line's two nights
            planned_departure=datetime(2027, 3, 12, 0, 30),
            planned_return=datetime(2027, 3, 13, 10, 0),
        )
        line.with_user(self.salesperson).write({"nights": 2, "total_amount_currency": 120.0})
        self.assertFalse(line.room_share_colleague_id)
        self.assertEqual((line.policy_amount, line.policy_rule), (120.0, "TRV-6"))
        # one night more and the nights overlap: that night is half the shared room
        line.with_user(self.salesperson).write({"nights": 3, "total_amount_currency": 180.0})
        self.assertEqual(line.room_share_colleague_id, later.employee_id)
        self.assertEqual(line.room_share_nights, 1)
        self.assertEqual((line.policy_amount, line.policy_rule), (168.0, "TRV-8"))
        self.assertEqual(later.room_share_colleague_id, self.emp_sp)
        self.assertFalse(other.room_share_colleague_id, "the female colleague's trip")

    def test_trv8_accepted_reason_recorded_by_an_approver_only(self):
        self._two_staff()
        trip = self._approved_trip()
        self._approved_trip(user=self.salesperson2)
        single = self._line(trip, self.lodging, 180.0, nights=3)
        self.assertEqual(single.policy_amount, 144.0)
        self.assertFalse(single.with_user(self.salesperson).policy_can_exempt)
        self.assertTrue(single.with_user(self.manager).policy_can_exempt)
        # the traveller cannot excuse themselves, at creation or after
        with self.assertRaisesRegex(UserError, "TRV-8"):
            single.with_user(self.salesperson).room_share_exempt_reason = "Snores"
        with self.assertRaisesRegex(UserError, "TRV-8"), self.env.cr.savepoint():
            self._line(trip, self.lodging, 60.0, nights=1, room_share_exempt_reason="Snores")
        # nor a colleague, who does not even read the line
        with self.assertRaises(AccessError):
            single.with_user(self.salesperson2).room_share_exempt_reason = "Snores"
        single.with_user(self.manager).room_share_exempt_reason = "Arrived a day apart"
        self.assertEqual((single.policy_amount, single.policy_rule), (180.0, "TRV-6"))
        self.assertFalse(single.policy_exceeded)
        self.assertIn("Single room accepted by", single.message_ids[0].body)
        self.assertIn("Arrived a day apart", trip.message_ids[0].body)
        # the colleague stays named on the line
        self.assertEqual(single.room_share_colleague_id, self.emp_sp2)
        with self.assertRaisesRegex(UserError, "APR-5"):
            single.with_user(self.salesperson).write({"room_share_colleague_id": False})

    # ------------------------------------------------------------------
    # TRV-9: per diem by region
    # ------------------------------------------------------------------
    def _regions(self):
        Territory = self.env["sales.territory"]
        zhejiang = Territory.create({"name": "SDP Zhejiang"})
        hangzhou = Territory.create({"name": "SDP Hangzhou", "parent_id": zhejiang.id})
        return zhejiang, hangzhou

    def test_trv9_regional_rate_parent_child_and_most_specific(self):
        zhejiang, hangzhou = self._regions()
        Rate = self.env["sales.travel.per.diem.rate"]
        # default: 30 a day where no regional rate applies
        plain = self._trip(territory_id=hangzhou.id)
        self.assertEqual((plain.per_diem_rate, plain.per_diem_amount), (30.0, 120.0))
        Rate.with_user(self.admin).create({"territory_id": zhejiang.id, "amount": 40.0})
        # the parent's rate applies to the child
        trip = self._approved_trip(territory_id=hangzhou.id)
        self.assertEqual((trip.per_diem_rate, trip.per_diem_amount), (40.0, 160.0))
        line = trip.expense_ids
        self.assertEqual((line.quantity, line.price_unit, line.total_amount), (4.0, 40.0, 160.0))
        self.assertEqual((line.policy_amount, line.policy_exceeded), (160.0, False))
        trip.with_user(self.salesperson).hosted_days = 1
        self.assertEqual((line.quantity, line.total_amount), (3.0, 120.0))
        # a rate on the child is more specific
        Rate.with_user(self.admin).create({"territory_id": hangzhou.id, "amount": 35.0})
        child = self._trip(territory_id=hangzhou.id)
        self.assertEqual((child.per_diem_rate, child.per_diem_amount), (35.0, 140.0))
        parent = self._trip(territory_id=zhejiang.id)
        self.assertEqual(parent.per_diem_rate, 40.0)
        # a changed default in Settings: where no regional rate applies only
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        settings.sales_policy_per_diem = 45.0
        settings.execute()
        self.assertEqual(self._trip().per_diem_rate, 45.0)
        self.assertEqual(self._trip(territory_id=hangzhou.id).per_diem_rate, 35.0)
        # the rate is the policy's, never typed in (APR-5)
        with self.assertRaisesRegex(UserError, "APR-5"):
            child.with_user(self.salesperson).write({"per_diem_rate": 99.0})

    def test_trv9_rates_edited_by_the_admin_read_by_everyone(self):
        zhejiang, _hangzhou = self._regions()
        Rate = self.env["sales.travel.per.diem.rate"]
        rate = Rate.with_user(self.admin).create({"territory_id": zhejiang.id, "amount": 40.0})
        for user in (self.salesperson, self.manager, self.employee):
            # everyone reads the rates (the demo database may hold others)
            self.assertEqual(Rate.with_user(user).search([("id", "=", rate.id)]), rate)
            self.assertEqual(Rate.with_user(user).search_count([]), Rate.sudo().search_count([]))
            with self.assertRaises(AccessError):
                rate.with_user(user).amount = 50.0
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                Rate.with_user(user).create({"territory_id": _hangzhou.id, "amount": 1.0})
        with self.assertRaisesRegex(ValidationError, "TRV-9"):
            rate.with_user(self.admin).amount = -1.0

    # ------------------------------------------------------------------
    # 001 回公司后及时进行报帐: claims in time (TRV-13)
    # ------------------------------------------------------------------
    def _claim_todos(self, trip):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return trip.activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.user_id == self.salesperson
        )

    def test_trv13_claim_todo_once_on_the_return_day_in_shanghai(self):
        # back at 18:00 on 13 March in Shanghai (10:00 UTC)
        trip = self._approved_trip()
        Trip = self.env["sales.trip"]
        self.assertEqual(trip.return_date, date(2027, 3, 13))
        with freeze_time("2027-03-12 15:59:00"):  # 23:59 on the 12th in Shanghai
            Trip._cron_claim_reminders()
        self.assertFalse(self._claim_todos(trip))
        with freeze_time("2027-03-12 16:00:00"):  # the 13th in Shanghai, still the 12th in UTC
            Trip._cron_claim_reminders()
            Trip._cron_claim_reminders()
        todo = self._claim_todos(trip)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.date_deadline, date(2027, 3, 20))
        self.assertEqual(trip.claim_reminder_date, date(2027, 3, 13))
        todo.action_done()
        with freeze_time("2027-03-13 17:00:00"):  # the day after, in Shanghai
            Trip._cron_claim_reminders()
        self.assertFalse(self._claim_todos(trip), "not created twice")
        # a trip back the day before the job ran gets it then; one back earlier never
        late_job = self._approved_trip(
            planned_departure=datetime(2027, 3, 20, 0, 30),
            planned_return=datetime(2027, 3, 21, 10, 0),
        )
        old = self._approved_trip(
            planned_departure=datetime(2027, 3, 18, 0, 30),
            planned_return=datetime(2027, 3, 19, 10, 0),
        )
        with freeze_time("2027-03-22 02:00:00"):
            Trip._cron_claim_reminders()
        self.assertEqual(len(self._claim_todos(late_job)), 1)
        self.assertFalse(self._claim_todos(old))
        # the reminder is the policy's record, never a client's
        with self.assertRaisesRegex(UserError, "APR-5"):
            old.with_user(self.salesperson).write({"claim_reminder_date": "2027-03-19"})

    def test_trv13_claims_late_after_the_due_days(self):
        trip = self._approved_trip()  # back on the 13th (Shanghai): due on the 20th
        Trip = self.env["sales.trip"].with_user(self.manager)
        with freeze_time("2027-03-20 15:59:00"):  # the 20th, 23:59 in Shanghai
            self.assertEqual(trip.claim_due_date, date(2027, 3, 20))
            self.assertFalse(trip.claim_late)
            self.assertNotIn(trip, Trip.search([("claim_late", "=", True)]))
        with freeze_time("2027-03-20 16:00:00"):  # the 21st in Shanghai
            trip.invalidate_recordset(["claim_late"])
            self.assertTrue(trip.claim_late)
            self.assertIn(trip, Trip.search([("claim_late", "=", True)]))
            self.assertNotIn(trip, Trip.search([("claim_late", "=", False)]))
            # the traveller sees it too; another salesperson does not
            late = [("claim_late", "=", True)]
            self.assertIn(trip, Trip.with_user(self.salesperson).search(late))
            self.assertFalse(Trip.with_user(self.salesperson2).search(late))
            # the per diem alone is no claim
            trip.expense_ids.with_user(self.salesperson).action_submit()
            self.assertIn(trip, Trip.search([("claim_late", "=", True)]))
            line = self._line(trip, self.transport, 40.0, transport_class="bus")
            self.assertIn(trip, Trip.search([("claim_late", "=", True)]), "a draft is no claim")
            line.with_user(self.salesperson).action_submit()
            self.assertTrue(trip.claim_made)
            self.assertFalse(trip.claim_late)
            self.assertNotIn(trip, Trip.search([("claim_late", "=", True)]))
            self.assertIn(trip, Trip.search([("claim_late", "=", False)]))

    def test_trv13_claim_due_days_in_settings(self):
        trip = self._approved_trip()
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.sales_policy_claim_due_days, 7)
        settings.sales_policy_claim_due_days = 3
        settings.execute()
        Trip = self.env["sales.trip"].with_user(self.manager)
        late = [("claim_late", "=", True), ("employee_id", "=", self.emp_sp.id)]
        with freeze_time("2027-03-16 12:00:00"):  # the 16th in Shanghai: the last day
            self.assertFalse(Trip.search(late))
        with freeze_time("2027-03-16 16:00:00"):  # the 17th
            self.assertEqual(Trip.search(late), trip)
            trip.invalidate_recordset(["claim_late", "claim_due_date"])
            self.assertEqual(trip.claim_due_date, date(2027, 3, 16))
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        settings.sales_policy_claim_due_days = -1
        with self.assertRaisesRegex(ValidationError, "TRV-13"):
            settings.execute()
