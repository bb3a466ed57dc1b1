# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""APR-5: decisions nobody can forge.

Every call here goes through ``odoo.service.model.call_kw``, as an XML-RPC or
JSON-RPC request does: a public method only, on records of the caller's
choosing, with a hostile context holding every key the addon ever read and
Odoo's own switches. Each refusal is checked to name its rule, and the
database to be as it was.
"""

import contextlib
from datetime import date, datetime

from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesPolicyCase

#: every context key the addon has read, and Odoo's own that switch behaviour off
HOSTILE_CONTEXT = {
    "sales_approval_transition": True,
    "sales_visit_transition": True,
    "sales_credit_grade_change": True,
    "sales_policy_apply_grade": True,
    "sales_target_split": True,
    "sales_policy_approver_only": True,
    "sales_archive_request_pick": True,
    "active_test": False,
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_activity_quick_update": True,
    "install_mode": True,
    "import_file": True,
    "module": "sales_dept_policy",
    "install_filename": "sales_dept_policy/demo/forged.xml",
    "no_reset_password": True,
    "lang": "en_US",
    "tz": "Asia/Shanghai",
}


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 02:00:00")
class TestForgery(SalesPolicyCase):
    """APR-5 through the public API, as RPC calls it, with a hostile context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        # BUD-2: the trips here have no budget; the no-budget setting is test_budget's
        cls.env["ir.config_parameter"].set_param("sales_dept_policy.budget_missing_policy", "allow")
        cls.grade_a = ref("sales_dept_policy.credit_grade_a")
        cls.grade_c = ref("sales_dept_policy.credit_grade_c")
        cls.customer.credit_grade_id = cls.grade_c
        cls.other_customer.credit_grade_id = cls.grade_c
        cls.staff = ref("sales_dept_policy.travel_level_staff")
        cls.director = ref("sales_dept_policy.travel_level_director")
        Employee = cls.env["hr.employee"]
        cls.emp_gm = Employee.create(
            {"name": "SDP GM", "user_id": cls.gm.id, "travel_level_id": cls.director.id}
        )
        cls.emp_manager = Employee.create(
            {
                "name": "SDP Manager",
                "user_id": cls.manager.id,
                "parent_id": cls.emp_gm.id,
                "travel_level_id": ref("sales_dept_policy.travel_level_manager").id,
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
                "travel_level_id": cls.staff.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Slab", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )

    # ------------------------------------------------------------------
    # RPC as a client makes it
    # ------------------------------------------------------------------
    def rpc(self, user, model, method, *args, **kwargs):
        env = self.env(user=user.id, su=False)
        # call_kw takes the context from the call's keyword arguments, as RPC sends it
        return call_kw(env[model], method, list(args), {**kwargs, "context": dict(HOSTILE_CONTEXT)})

    def assertRefused(self, rule, user, model, method, *args, **kwargs):
        """The call is refused with a message naming ``rule``; nothing is written."""
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            self.rpc(user, model, method, *args, **kwargs)
        if rule:
            self.assertIn(rule, str(caught.exception))
        self.env.invalidate_all()
        return caught.exception

    def snapshot(self, records, fnames):
        self.env.invalidate_all()
        return records.sudo().read(fnames)

    # ------------------------------------------------------------------
    # Requests of every model on the approval flow
    # ------------------------------------------------------------------
    def _trip(self, user=None):
        return (
            self.env["sales.trip"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "destination": "Hangzhou",
                    "purpose": "Visit",
                    "planned_departure": datetime(2027, 3, 10, 0, 30),
                    "planned_return": datetime(2027, 3, 12, 10, 0),
                }
            )
        )

    def _requests(self):
        """(request, requester, approver) of each model on the mixin, submitted."""
        result = []
        access = (
            self.env["sales.archive.access.request"]
            .with_user(self.employee)
            .create(
                {
                    "partner_ids": [Command.set(self.other_customer.ids)],
                    "reason": "Delivery",
                    "date_end": date(2027, 3, 5),
                }
            )
        )
        result.append((access, self.employee, self.gm))
        grade = (
            self.env["sales.credit.grade.change"]
            .with_user(self.salesperson)
            .create(
                {"partner_id": self.customer.id, "new_grade_id": self.grade_a.id, "reason": "Paid"}
            )
        )
        result.append((grade, self.salesperson, self.gm))
        result.append((self._trip(), self.salesperson, self.manager))
        target = (
            self.env["sales.target"]
            .with_user(self.manager)
            .create({"user_id": self.salesperson.id, "year": 2028, "target_amount": 120000})
        )
        result.append((target, self.manager, self.gm))
        # BUD-1: a budget set by the sales manager, approved by the general manager; a
        # revision of an approved one, the same
        Budget = self.env["sales.expense.budget"].with_user(self.manager)
        budget = Budget.create({"user_id": self.salesperson.id, "year": 2028})
        budget.line_ids.with_user(self.manager).write({"amount": 100.0})
        result.append((budget, self.manager, self.gm))
        revised = Budget.create({"user_id": self.salesperson.id, "year": 2029})
        revised.line_ids.with_user(self.manager).write({"amount": 100.0})
        revised.with_user(self.manager).action_submit()
        revised.with_user(self.gm).action_approve()
        revised.with_user(self.manager).action_revise()
        result.append((revised.revision_ids, self.manager, self.gm))
        plan = (
            self.env["sales.visit.plan"]
            .with_user(self.salesperson)
            .create(
                {
                    "week_start": date(2027, 3, 8),
                    "line_ids": [
                        Command.create(
                            {
                                "partner_id": self.customer.id,
                                "date_planned": datetime(2027, 3, 9, 2, 0),
                                "purpose": "Follow up",
                            }
                        )
                    ],
                }
            )
        )
        result.append((plan, self.salesperson, self.manager))
        report = (
            self.env["sales.daily.report"]
            .with_user(self.salesperson)
            .create({"date": date(2027, 3, 1), "work_done": "Calls"})
        )
        result.append((report, self.salesperson, self.manager))
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 50}
                        )
                    ],
                }
            )
        )
        order.with_user(self.salesperson).action_request_deviation_approval()
        # CRD-5: reviewed by the sales manager, then approved by a general manager
        result.append((order.deviation_ids[:1], self.salesperson, (self.manager, self.gm)))
        # ORD-2: an order by phone, approved by a sales manager
        order.write({"contract_kind": "phone_fax"})
        action = order.with_user(self.salesperson).action_request_contract_review()
        review = self.env["sales.contract.review"].browse(action["res_id"])
        result.append((review, self.salesperson, self.manager))
        for request, requester, _approvers in result:
            if request.state == "draft":
                request.with_user(requester).action_submit()
            self.assertEqual(request.state, "submitted", request._name)
        return result

    def test_apr5_every_request_unforgeable(self):
        decision_fields = ["state", "decided_by_id", "decided_on", "submitted_by_id"]
        for request, requester, approvers in self._requests():
            approvers = approvers if isinstance(approvers, tuple) else (approvers,)
            approver = approvers[-1]
            model, ids = request._name, request.ids
            before = self.snapshot(request, decision_fields)
            with self.subTest(model=model):
                forged = {"state": "approved", "decided_by_id": approver.id}
                # the requester, another user of the same role and the approver
                # writing a decision: refused to all, whatever the context
                for user in (requester, self.salesperson2, *approvers):
                    self.assertRefused("APR-5", user, model, "write", ids, forged)
                # a request created, or copied, or imported into a decided state
                self.assertRefused(
                    "APR-5", requester, model, "create", {**request.copy_data()[0], **forged}
                )
                # ... or by the context's defaults of a create (the values clean)
                clean = {
                    k: v
                    for k, v in request.copy_data()[0].items()
                    if k not in ("state", "decided_by_id", "decided_on", "submitted_by_id")
                }
                defaults = {"default_state": "approved", "default_decided_by_id": approver.id}
                made = self.env[model]
                with contextlib.suppress(UserError, IntegrityError):
                    # refused outright is fine too (made only from its record, or
                    # one per period): what must not happen is a decided record
                    with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                        made = self.env[model].browse(
                            call_kw(
                                self.env(user=requester.id, su=False)[model],
                                "create",
                                [clean],
                                {"context": {**HOSTILE_CONTEXT, **defaults}},
                            )
                        )
                        made.flush_recordset()
                        self.assertEqual(made.state, "draft", model)
                        self.assertFalse(made.decided_by_id, model)
                with self.env.cr.savepoint():
                    loaded = self.rpc(requester, model, "load", ["state"], [["approved"]])
                self.assertFalse(loaded["ids"], model)
                # the requester deciding their own request (APR-4), by every action
                self.assertRefused(None, requester, model, "action_approve", ids)
                self.assertRefused(None, requester, model, "action_reject", ids, reason="no")
                # a private transition is not reachable
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(requester, model, "_approval_write", ids, forged)
                # a message forged in the approver's name
                self.assertRefused(
                    "APR-5",
                    requester,
                    model,
                    "message_post",
                    ids,
                    body="Approved by the general manager.",
                    author_id=approver.partner_id.id,
                )
                self.assertEqual(self.snapshot(request, decision_fields), before)
                # the approvers decide through the flow (each step), even with a
                # hostile context
                for step_approver in approvers:
                    self.rpc(step_approver, model, "action_approve", ids)
                request.invalidate_recordset()
                self.assertEqual(request.state, "approved")
                self.assertEqual(request.decided_by_id, approver)
                # APR-3: nothing approved is deleted, by anyone; a copy is a draft
                for user in (requester, approver):
                    self.assertRefused(None, user, model, "unlink", ids)
                # (targets, plans and reports are unique per person and period)
                if model in (
                    "sales.archive.access.request",
                    "sales.credit.grade.change",
                    "sales.trip",
                ):
                    copy_id = self.rpc(requester, model, "copy", ids[0])
                    if isinstance(copy_id, list):
                        copy_id = copy_id[0]
                    copy = self.env[model].browse(copy_id)
                    self.assertEqual(copy.state, "draft")
                    self.assertFalse(copy.decided_by_id or copy.submitted_by_id)

    def test_apr5_chatter_not_forged_through_mail_message(self):
        """The other door to the chatter: a message created directly in another's
        name is refused; one's own message, with Odoo's tracking, still works."""
        trip = self._trip()
        count = len(trip.message_ids)
        values = {
            "model": "sales.trip",
            "res_id": trip.id,
            "message_type": "comment",
            "body": "Approved. Liu Yang",
        }
        for forged in ({"author_id": self.gm.partner_id.id}, {"date": "2020-01-01 00:00:00"}):
            with self.subTest(forged=forged):
                self.assertRefused(
                    "APR-5", self.salesperson, "mail.message", "create", {**values, **forged}
                )
        self.rpc(self.salesperson, "sales.trip", "message_post", trip.ids, body="Train booked")
        trip.with_user(self.salesperson).destination = "Ningbo"  # tracked
        self.env.invalidate_all()
        self.assertEqual(trip.message_ids[0].author_id, self.salesperson.partner_id)
        self.assertGreater(len(trip.message_ids), count)

    def test_apr4_approving_role_own_request(self):
        """A general manager's own access request is decided by another one."""
        request = (
            self.env["sales.archive.access.request"]
            .with_user(self.gm)
            .create(
                {
                    "partner_ids": [Command.set(self.other_customer.ids)],
                    "reason": "Audit",
                    "date_end": date(2027, 3, 5),
                }
            )
        )
        self.rpc(self.gm, request._name, "action_submit", request.ids)
        self.assertRefused("APR-4", self.gm, request._name, "action_approve", request.ids)
        self.assertEqual(request.state, "submitted")
        self.rpc(self.gm2, request._name, "action_approve", request.ids)
        self.assertIn(self.gm, self.other_customer.sudo().archive_grant_user_ids)

    # ------------------------------------------------------------------
    # 1. rule keys, 2. policy results
    # ------------------------------------------------------------------
    def test_apr5_archive_rule_keys_not_written(self):
        for vals in (
            {"archive_visibility": -1},
            {"customer_archive": False},
            {"archive_user_id": self.employee.id},
            {"archive_grant_user_ids": [Command.link(self.employee.id)]},
            {"territory_manual": True},
        ):
            for user in (self.salesperson, self.manager):
                with self.subTest(vals=vals, user=user.login):
                    self.assertRefused(None, user, "res.partner", "write", self.customer.ids, vals)
        self.assertRefused(
            "ARC-5",
            self.employee,
            "res.users",
            "write",
            self.employee.ids,
            {"archive_grant_partner_ids": [Command.link(self.customer.id)]},
        )
        self.env.invalidate_all()
        self.assertTrue(self.customer.customer_archive)
        self.assertEqual(self.customer.archive_visibility, self.salesperson.id)
        self.assertFalse(self.customer.archive_grant_user_ids)
        self.assertFalse(
            self.env["res.partner"].with_user(self.employee).search([("id", "=", self.customer.id)])
        )

    def test_apr5_credit_grade_not_written(self):
        """CRD-6: a salesperson does not set the grade, nor make an approved change."""
        self.assertRefused(
            "CRD-6",
            self.salesperson,
            "res.partner",
            "write",
            self.customer.ids,
            {"credit_grade_id": self.grade_a.id},
        )
        self.assertRefused(
            "APR-1",
            self.salesperson,
            "sales.credit.grade.change",
            "create",
            {
                "partner_id": self.customer.id,
                "new_grade_id": self.grade_a.id,
                "reason": "x",
                "state": "approved",
            },
        )
        self.assertEqual(self.customer.credit_grade_id, self.grade_c)

    def test_apr5_forms_leave_what_the_policy_writes_read_only(self):
        """The web client saves every field a form leaves editable, and the guard
        refuses those only the policy writes: each such field is read-only in every
        form of the addon's models, for every role (a trip form once left the travel
        level editable on a draft, and no trip could be saved from it)."""
        models = [
            name
            for name in self.env.registry.descendants(["sales.policy.guard"], "_inherit")
            if not self.env[name]._abstract
        ]
        views = self.env["ir.ui.view"].search(
            [("model", "in", models), ("type", "=", "form"), ("mode", "=", "primary")]
        )
        self.assertIn("sales.trip", views.mapped("model"))
        editable = set()
        for user in (self.salesperson, self.manager, self.gm, self.admin):
            for view in views:
                Model = self.env[view.model].with_user(user)
                if not Model.has_access("read"):
                    continue
                guarded = Model._policy_guarded_fields()
                arch = etree.fromstring(Model.get_view(view.id, "form")["arch"])
                for node in arch.iter("field"):
                    name = node.get("name")
                    # the fields of a one2many's own list or form are of its comodel
                    if name not in guarded or any(
                        parent.tag == "field" for parent in node.iterancestors()
                    ):
                        continue
                    readonly = node.get("readonly")
                    if readonly is None:
                        read_only = Model._fields[name].readonly
                    else:
                        read_only = readonly.strip() in ("1", "True", "true")
                    if not read_only and node.get("invisible", "").strip() not in ("1", "True"):
                        editable.add((view.model, name, readonly))
        self.assertEqual(sorted(editable), [])

    def test_apr5_policy_results_not_written(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.with_user(self.salesperson).action_confirm()
        self.assertTrue(order.awaiting_deposit)
        for vals in (
            {"awaiting_deposit": False},
            {"deposit_received": order.amount_total},
            {"deviation_state": "approved"},
            {"is_major_contract": False},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "APR-5", self.salesperson, "sale.order", "write", order.ids, vals
                )
        self.env.invalidate_all()
        self.assertTrue(order.awaiting_deposit)
        self.assertEqual(order.deposit_received, 0.0)

        visit = (
            self.env["sales.visit"]
            .with_user(self.salesperson)
            .create({"partner_id": self.customer.id, "kind": "info", "purpose": "Who buys"})
        )
        for vals in ({"is_effective": True}, {"out_of_territory": True}, {"state": "reviewed"}):
            with self.subTest(vals=vals):
                self.assertRefused(None, self.salesperson, "sales.visit", "write", visit.ids, vals)
        self.assertRefused(
            "APR-5",
            self.salesperson,
            "sales.visit",
            "create",
            {"partner_id": self.customer.id, "purpose": "x", "is_effective": True},
        )
        self.assertFalse(visit.is_effective)

        trip = self._trip()
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        line = (
            self.env["hr.expense"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "Hotel",
                    "employee_id": self.emp_sp.id,
                    "product_id": self.env.ref("sales_dept_policy.product_travel_lodging").id,
                    "trip_id": trip.id,
                    "total_amount_currency": 500.0,
                    "nights": 1,
                    "date": date(2027, 3, 10),
                }
            )
        )
        self.assertTrue(line.policy_exceeded)
        for vals in ({"policy_amount": 500.0, "policy_exceeded": False}, {"policy_rule": False}):
            with self.subTest(vals=vals):
                self.assertRefused("APR-5", self.salesperson, "hr.expense", "write", line.ids, vals)
        self.env.invalidate_all()
        self.assertEqual(line.policy_amount, 60.0)
        self.assertTrue(line.policy_exceeded)
        # and the approver-only switch of old opens no door: above the standard,
        # the manager's approval is refused (TRV-13)
        line.with_user(self.salesperson).action_submit()
        self.assertRefused("TRV-13", self.manager, "hr.expense", "action_approve", line.ids)
        self.assertNotEqual(line.approval_state, "approved")

    # ------------------------------------------------------------------
    # 3. grants and territories give read only
    # ------------------------------------------------------------------
    def test_arc5_ter4_grants_read_not_write(self):
        territory = self.env["sales.territory"].create(
            {"name": "SDP Zone", "code": "SDPZ", "manager_id": self.salesperson2.id}
        )
        self.customer.with_user(self.manager).territory_id = territory
        request = (
            self.env["sales.archive.access.request"]
            .with_user(self.employee)
            .create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "reason": "Invoice question",
                    "date_end": date(2027, 3, 5),
                }
            )
        )
        request.action_submit()
        request.with_user(self.gm).action_approve()
        for user in (self.employee, self.salesperson2):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.rpc(user, "res.partner", "read", self.customer.ids, ["name"])[0]["name"],
                    self.customer.name,
                )
                for vals in (
                    {"phone": "+86 571 0000 0000"},
                    {"customer_characteristics": "Mine now"},
                    {"user_id": user.id},
                ):
                    self.assertRefused(None, user, "res.partner", "write", self.customer.ids, vals)
                self.assertRefused(None, user, "res.partner", "unlink", self.customer.ids)
        self.env.invalidate_all()
        self.assertEqual(self.customer.user_id, self.salesperson)
        self.assertFalse(self.customer.customer_characteristics)

    # ------------------------------------------------------------------
    # 4. the requester does not choose the decider nor the standard
    # ------------------------------------------------------------------
    def test_trv1_trv2_decider_and_level_from_the_employee(self):
        trip = self._trip()
        for vals in (
            {"manager_user_id": self.salesperson2.id},
            {"travel_level_id": self.director.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused("APR-5", self.salesperson, "sales.trip", "write", trip.ids, vals)
        self.assertRefused(
            "APR-5",
            self.salesperson,
            "sales.trip",
            "create",
            {
                "destination": "Beijing",
                "purpose": "Fair",
                "planned_departure": "2027-03-10 00:30:00",
                "planned_return": "2027-03-12 10:00:00",
                "travel_level_id": self.director.id,
            },
        )
        self.assertEqual(trip.travel_level_id, self.staff)
        # a new manager and a new level on the employee: the submit takes them
        self.emp_sp.parent_id = self.emp_gm
        self.emp_sp.travel_level_id = self.env.ref("sales_dept_policy.travel_level_senior")
        self.rpc(self.salesperson, "sales.trip", "action_submit", trip.ids)
        self.env.invalidate_all()
        self.assertEqual(trip.manager_user_id, self.gm)
        self.assertEqual(trip.travel_level_id.code, "senior")
        self.assertRefused("APR-2", self.manager, "sales.trip", "action_approve", trip.ids)
        self.rpc(self.gm, "sales.trip", "action_approve", trip.ids)
        self.assertEqual(trip.decided_by_id, self.gm)

    # ------------------------------------------------------------------
    # 5. approved structure
    # ------------------------------------------------------------------
    def test_qta3_approved_months_structure_locked(self):
        target = (
            self.env["sales.target"]
            .with_user(self.manager)
            .create({"user_id": self.salesperson.id, "year": 2028, "target_amount": 120000})
        )
        target.with_user(self.manager).action_submit()
        target.with_user(self.gm).action_approve()
        month = target.period_ids.sorted("date_from")[0]
        before = self.snapshot(target.period_ids, ["date_from", "date_to", "target_amount"])
        self.assertRefused(
            "APR-3", self.manager, "sales.target.period", "write", month.ids, {"target_amount": 1}
        )
        self.assertRefused(
            "QTA-3",
            self.manager,
            "sales.target.period",
            "write",
            month.ids,
            {"date_from": "2028-02-01"},
        )
        self.assertRefused("QTA-3", self.manager, "sales.target.period", "unlink", month.ids)
        self.assertRefused(
            "QTA-3",
            self.salesperson,
            "sales.target.period",
            "create",
            {
                "target_id": target.id,
                "date_from": "2028-12-01",
                "date_to": "2028-12-31",
                "target_amount": 5000,
            },
        )
        self.assertRefused(
            "APR-3",
            self.manager,
            "sales.target",
            "write",
            target.ids,
            {"period_ids": [Command.update(month.id, {"target_amount": 1})]},
        )
        self.assertEqual(
            self.snapshot(target.period_ids, ["date_from", "date_to", "target_amount"]), before
        )
        self.assertEqual(len(target.period_ids), 12)
        # QTA-2: the responsibility amount is the manager's, at creation too
        self.assertRefused(
            "QTA-2",
            self.salesperson,
            "sales.target",
            "create",
            {"user_id": self.salesperson.id, "year": 2029, "target_amount": 1},
        )

    def test_qta6_submitted_revision_lines_locked(self):
        with freeze_time("2028-01-15"):
            target = (
                self.env["sales.target"]
                .with_user(self.manager)
                .create({"user_id": self.salesperson.id, "year": 2028, "target_amount": 120000})
            )
            target.with_user(self.manager).action_submit()
            target.with_user(self.gm).action_approve()
            action = target.with_user(self.manager).action_revise()
            revision = self.env["sales.target.revision"].browse(action["res_id"])
            self.assertEqual(len(revision.line_ids), 11)
            # the previous figures are the months' own
            self.assertRefused(
                "QTA-6",
                self.manager,
                "sales.target.revision.line",
                "write",
                revision.line_ids[:1].ids,
                {"old_amount": 0},
            )
            revision.with_user(self.manager).action_submit()
            lines = revision.line_ids
            for command in (
                [Command.clear()],
                [Command.delete(lines[0].id)],
                [Command.create({"period_id": target.period_ids[0].id, "new_amount": 1})],
            ):
                with self.subTest(command=command):
                    self.assertRefused(
                        "APR-3",
                        self.manager,
                        "sales.target.revision",
                        "write",
                        revision.ids,
                        {"line_ids": command},
                    )
            self.assertRefused(
                "APR-3", self.manager, "sales.target.revision.line", "unlink", lines[:1].ids
            )
            self.assertEqual(revision.line_ids, lines)

    def test_vis6_submitted_plan_lines_locked(self):
        plan = (
            self.env["sales.visit.plan"]
            .with_user(self.salesperson)
            .create(
                {
                    "week_start": date(2027, 3, 8),
                    "line_ids": [
                        Command.create(
                            {
                                "partner_id": self.customer.id,
                                "date_planned": datetime(2027, 3, 9, 2, 0),
                                "purpose": "Follow up",
                            }
                        )
                    ],
                }
            )
        )
        plan.with_user(self.salesperson).action_submit()
        line = plan.line_ids
        for command in ([Command.clear()], [Command.delete(line.id)], [Command.unlink(line.id)]):
            with self.subTest(command=command):
                self.assertRefused(
                    "APR-3",
                    self.salesperson,
                    "sales.visit.plan",
                    "write",
                    plan.ids,
                    {"line_ids": command},
                )
        self.assertRefused("APR-3", self.salesperson, "sales.visit.plan.line", "unlink", line.ids)
        self.assertRefused(
            "APR-3",
            self.salesperson,
            "sales.visit.plan.line",
            "create",
            {
                "plan_id": plan.id,
                "partner_id": self.customer.id,
                "date_planned": "2027-03-10 02:00:00",
                "purpose": "Added later",
            },
        )
        self.assertEqual(plan.line_ids, line)

    # ------------------------------------------------------------------
    # 6. deviations come from the order, 7. customers one cannot read
    # ------------------------------------------------------------------
    def test_crd5_deviation_requests_from_the_order_only(self):
        theirs = (
            self.env["sale.order"]
            .with_user(self.salesperson2)
            .create({"partner_id": self.other_customer.id})
        )
        mine = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 1}
                        )
                    ],
                }
            )
        )
        for order in (mine, theirs):
            with self.subTest(order=order.name):
                self.assertRefused(
                    "CRD-5",
                    self.salesperson,
                    "sales.order.deviation",
                    "create",
                    {
                        "order_id": order.id,
                        "approval_level": "manager_gm",
                        "reason_details": [],
                        "fingerprint": mine.deviation_fingerprint,
                    },
                )
        self.assertRefused(
            None, self.salesperson, "sale.order", "action_request_deviation_approval", theirs.ids
        )
        self.assertFalse(
            self.env["sales.order.deviation"]
            .search([])
            .filtered(lambda d: d.order_id in mine | theirs)
        )
        # the order's own action makes the request from the order's own figures
        self.rpc(self.salesperson, "sale.order", "action_request_deviation_approval", mine.ids)
        request = mine.deviation_ids
        self.assertEqual(request.reasons, mine.deviation_reasons)
        self.assertIn("pricelist", request.reasons)
        self.assertRefused(
            "APR-5",
            self.salesperson,
            "sales.order.deviation",
            "write",
            request.ids,
            {"reason_details": [[0, []]]},
        )

    def test_arc4_records_about_unreadable_customers_refused(self):
        self.assertRefused(
            "ARC-4",
            self.salesperson,
            "sales.credit.grade.change",
            "create",
            {"partner_id": self.other_customer.id, "new_grade_id": self.grade_a.id, "reason": "x"},
        )
        self.assertRefused(
            "ARC-4",
            self.salesperson,
            "sales.trip",
            "create",
            {
                "destination": "Suzhou",
                "purpose": "x",
                "partner_id": self.other_customer.id,
                "planned_departure": "2027-03-10 00:30:00",
                "planned_return": "2027-03-10 10:00:00",
            },
        )
        self.assertRefused(
            "ARC-4",
            self.salesperson,
            "sale.order",
            "create",
            {"partner_id": self.other_customer.id},
        )
        self.assertRefused(
            "ARC-4",
            self.salesperson,
            "sales.visit.plan",
            "create",
            {
                "week_start": "2027-03-08",
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self.other_customer.id,
                            "date_planned": "2027-03-09 02:00:00",
                            "purpose": "x",
                        }
                    )
                ],
            },
        )
        # CRD-6 names the customer, not a contact (10.)
        self.assertRefused(
            "CRD-6",
            self.salesperson,
            "sales.credit.grade.change",
            "create",
            {"partner_id": self.contact.id, "new_grade_id": self.grade_a.id, "reason": "x"},
        )

    # ------------------------------------------------------------------
    # 8. an approver who leaves, a grant on an archived customer
    # ------------------------------------------------------------------
    def test_apr5_approver_who_leaves_hands_on(self):
        trip = self._trip()
        trip.with_user(self.salesperson).action_submit()
        self.assertEqual(trip.manager_user_id, self.manager)
        self.manager.action_archive()
        self.env.invalidate_all()
        # the next level up decides, with the to-do
        self.assertEqual(trip.manager_user_id, self.gm)
        self.assertEqual(trip.approver_ids, self.gm)
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        todos = trip.activity_ids.filtered(lambda a: a.activity_type_id == decision)
        self.assertEqual(todos.user_id, self.gm)
        self.rpc(self.gm, "sales.trip", "action_approve", trip.ids)
        self.assertEqual(trip.state, "approved")

    def test_apr5_group_removed_general_managers_decide(self):
        reviewer = new_test_user(
            self.env,
            login="sdp_rev",
            groups="sales_dept_policy.group_sales_manager",
            context={"no_reset_password": True},
        )
        self.manager.group_ids = [
            Command.unlink(self.env.ref("sales_dept_policy.group_sales_manager").id)
        ]
        report = (
            self.env["sales.daily.report"]
            .with_user(self.salesperson)
            .create({"date": date(2027, 3, 1), "work_done": "Calls"})
        )
        report.with_user(self.salesperson).action_submit()
        self.assertIn(reviewer, report.approver_ids)
        self.assertIn(self.gm, report.approver_ids)
        self.assertNotIn(self.manager, report.approver_ids)
        # the reviewer leaves the role: the others decide, with the to-dos (APR-5)
        reviewer.group_ids = [
            Command.unlink(self.env.ref("sales_dept_policy.group_sales_manager").id)
        ]
        self.env["sales.daily.report"]._cron_sync_decisions()
        self.env.invalidate_all()
        self.assertIn(self.gm, report.approver_ids)
        self.assertNotIn(reviewer, report.approver_ids)
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        todos = report.activity_ids.filtered(lambda a: a.activity_type_id == decision)
        self.assertNotIn(reviewer, todos.user_id)
        self.assertIn(self.gm, todos.user_id)
        self.assertRefused(None, reviewer, "sales.daily.report", "action_approve", report.ids)
        self.assertEqual(report.state, "submitted")

    def test_arc5_grant_of_archived_customer_restored(self):
        request = (
            self.env["sales.archive.access.request"]
            .with_user(self.employee)
            .create(
                {
                    "partner_ids": [Command.set(self.other_customer.ids)],
                    "reason": "Delivery",
                    "date_end": date(2027, 3, 5),
                }
            )
        )
        request.action_submit()
        self.other_customer.action_archive()
        request.with_user(self.gm).action_approve()
        self.other_customer.action_unarchive()
        self.env.invalidate_all()
        self.assertIn(self.employee, self.other_customer.archive_grant_user_ids)
        self.assertTrue(
            self.env["res.partner"]
            .with_user(self.employee)
            .search([("id", "=", self.other_customer.id)])
        )

    # ------------------------------------------------------------------
    # 9. refusals, not tracebacks; 10. the picker
    # ------------------------------------------------------------------
    def test_apr1_reject_wizard_bad_input(self):
        for vals in (
            {"res_model": "res.partner", "res_ids": self.customer.ids},
            {"res_model": "no.such.model", "res_ids": [1]},
            {"res_model": "sales.trip", "res_ids": "1,2"},
            {"res_model": "sales.approval.mixin", "res_ids": [1]},
        ):
            with self.subTest(vals=vals):
                wizard = self.rpc(
                    self.gm, "sales.approval.reject.wizard", "create", {**vals, "reason": "x"}
                )
                self.assertRefused(
                    "APR-1", self.gm, "sales.approval.reject.wizard", "action_confirm", [wizard]
                )

    def test_trv11_negative_hosted_days_refused(self):
        trip = self._trip()
        for method, args in (
            ("write", (trip.ids, {"hosted_days": -1})),
            ("create", ({"destination": "x", "purpose": "x", "hosted_days": -1},)),
        ):
            with self.subTest(method=method):
                self.assertRefused("TRV-11", self.salesperson, "sales.trip", method, *args)

    def test_arc5_picker_shows_name_and_city_only_when_known(self):
        self.other_customer.city = "杭州"
        for text in ("___", "%%%", "%_%", "   "):
            with self.subTest(text=text):
                self.assertEqual(self.rpc(self.employee, "res.partner", "name_search", text), [])
        found = self.rpc(self.employee, "res.partner", "name_search", "Other Customer")
        self.assertEqual(found, [(self.other_customer.id, "SDP Other Customer Co (杭州)")])
        # nothing else of the archive
        self.assertRefused(
            None, self.employee, "res.partner", "read", self.other_customer.ids, ["phone"]
        )
