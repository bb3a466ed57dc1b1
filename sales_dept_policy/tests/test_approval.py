# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import SQL

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-10 09:00:00")
class TestApprovalFlow(SalesPolicyCase):
    """APR-1..4 through the first model on the mixin (archive access requests)."""

    def setUp(self):
        super().setUp()
        self.request = (
            self.env["sales.archive.access.request"]
            .with_user(self.employee)
            .create(
                {
                    "partner_ids": [(6, 0, self.other_customer.ids)],
                    "reason": "Delivery planning",
                    "date_end": date(2026, 11, 15),
                }
            )
        )

    def test_apr1_approve_twice_refused(self):
        self.request.action_submit()
        self.request.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            self.request.with_user(self.gm2).action_approve()
        self.assertEqual(self.request.decided_by_id, self.gm)

    def _decided_behind_the_cache(self, state):
        """What a decision in another worker commits while this one runs: the row
        changes, this transaction's ORM cache still says 'submitted'."""
        self.assertEqual(self.request.state, "submitted")
        self.env.flush_all()  # this transaction's own writes are in the database
        self.env.cr.execute(
            SQL(
                "UPDATE sales_archive_access_request SET state = %s, decided_by_id = %s "
                "WHERE id = %s",
                state,
                self.gm.id,
                self.request.id,
            )
        )

    def test_apr1_decision_decides_from_the_locked_row(self):
        """APR-1, APR-3: two decisions of one request at once (tests/scale run them
        in two workers) make one: each decides from the row it locked, as stored."""
        self.request.action_submit()
        activities = self.request.sudo().activity_ids
        self.assertGreaterEqual(len(activities), 2)  # the general managers' to-dos
        self._decided_behind_the_cache("approved")
        with self.assertRaisesRegex(UserError, "already approved"):
            self.request.with_user(self.gm2).action_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            self.request.with_user(self.gm2).action_reject(reason="Not needed")
        with self.assertRaisesRegex(UserError, "approved and locked"):
            self.request.with_user(self.employee).action_cancel()
        self.assertEqual(self.request.decided_by_id, self.gm)
        # nothing of a second decision: no message, the to-dos as they were
        bodies = " ".join(self.request.sudo().message_ids.mapped("body"))
        self.assertNotIn("Approved by", bodies)
        self.assertNotIn("Rejected by", bodies)
        self.assertEqual(self.request.sudo().activity_ids, activities)

    def test_apr1_decision_after_a_rejection_at_once(self):
        self.request.action_submit()
        self._decided_behind_the_cache("rejected")
        with self.assertRaisesRegex(UserError, "was rejected"):
            self.request.with_user(self.gm2).action_approve()
        self.assertEqual(self.request.state, "rejected")
        self.assertNotIn("Approved by", " ".join(self.request.sudo().message_ids.mapped("body")))

    def test_apr1_approve_rejected_refused(self):
        self.request.action_submit()
        self.request.with_user(self.gm).action_reject(reason="Not needed")
        with self.assertRaisesRegex(UserError, "rejected"):
            self.request.with_user(self.gm).action_approve()
        self.assertEqual(self.request.state, "rejected")

    def test_apr1_decide_before_submit_refused(self):
        with self.assertRaisesRegex(UserError, "must be submitted"):
            self.request.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(UserError, "must be submitted"):
            self.request.with_user(self.gm).action_reject(reason="no")

    def test_apr1_reject_without_reason_refused(self):
        self.request.action_submit()
        for reason in ("", "   "):
            with self.assertRaisesRegex(ValidationError, "needs a reason"):
                self.request.with_user(self.gm).action_reject(reason=reason)
        self.assertEqual(self.request.state, "submitted")

    def test_apr1_reject_through_wizard(self):
        self.request.action_submit()
        action = self.request.with_user(self.gm).action_reject()
        self.assertEqual(action["res_model"], "sales.approval.reject.wizard")
        wizard_form = Form(
            self.env["sales.approval.reject.wizard"]
            .with_user(self.gm)
            .with_context(**action["context"])
        )
        wizard_form.reason = "Ask the sales manager instead"
        wizard_form.save().action_confirm()
        self.assertEqual(self.request.state, "rejected")
        self.assertEqual(self.request.reject_reason, "Ask the sales manager instead")
        self.assertEqual(self.request.decided_by_id, self.gm)
        self.assertTrue(
            any(
                "Ask the sales manager instead" in b
                for b in self.request.message_ids.mapped("body")
            )
        )

    def test_apr2_submitted_message_and_activities(self):
        self.request.action_submit()
        self.assertIn(self.gm, self.request.activity_ids.user_id)
        self.assertTrue(self.request.with_user(self.gm).can_decide)
        self.assertFalse(self.request.with_user(self.employee).can_decide)
        self.assertFalse(self.request.with_user(self.manager).can_decide)
        self.assertTrue(any("Submitted by" in b for b in self.request.message_ids.mapped("body")))

    def test_apr2_decision_todo_in_the_approvers_language(self):
        """The to-do reads in the approver's language, whoever submits."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_dept_policy"], ["zh_CN"])
        self.gm.lang = "zh_CN"
        self.request.action_submit()
        todo = self.request.activity_ids.filtered(lambda a: a.user_id == self.gm)
        self.assertIn("已提交，请您审批", todo.note)
        others = self.request.activity_ids - todo
        self.assertTrue(
            all("for your decision" in a.note for a in others if a.user_id.lang == "en_US")
        )

    def test_apr3_approved_request_locked(self):
        self.request.action_submit()
        self.request.with_user(self.gm).action_approve()
        for vals in (
            {"date_end": date(2026, 12, 31)},
            {"reason": "changed"},
            {"partner_ids": [(4, self.customer.id)]},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "locked"):
                self.request.sudo().write(vals)
        self.assertEqual(self.request.date_end, date(2026, 11, 15))
        # the chatter stays open
        self.request.with_user(self.gm).message_post(body="noted")

    def test_apr3_submitted_request_locked(self):
        self.request.action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            self.request.write({"date_end": date(2026, 12, 31)})

    def test_apr1_created_as_draft_only(self):
        Request = self.env["sales.archive.access.request"].with_user(self.gm)
        for vals in ({"state": "approved"}, {"decided_by_id": self.gm.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "created as a draft"):
                Request.create({"partner_ids": [(6, 0, self.customer.ids)], "reason": "x", **vals})

    def test_apr3_state_only_through_buttons(self):
        with self.assertRaisesRegex(UserError, "buttons"):
            self.request.with_user(self.employee).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "buttons"):
            self.request.with_user(self.gm).write({"state": "approved"})
        self.assertEqual(self.request.state, "draft")

    def test_apr3_nothing_decided_deleted(self):
        self.request.action_submit()
        with self.assertRaises(UserError):
            self.request.unlink()
        self.request.with_user(self.gm).action_approve()
        with self.assertRaises(UserError):
            self.request.sudo().unlink()
        draft = self.request.copy({"date_end": date(2026, 11, 20)})
        self.assertEqual(draft.state, "draft")
        draft.unlink()

    def test_apr4_submitter_cannot_decide(self):
        # a general manager files a request for someone else: they still do not decide it
        request = (
            self.env["sales.archive.access.request"]
            .with_user(self.gm)
            .create(
                {
                    "requester_id": self.employee.id,
                    "partner_ids": [(6, 0, self.customer.ids)],
                    "reason": "For Sun's project",
                }
            )
        )
        request.with_user(self.gm).action_submit()
        self.assertNotIn(self.gm, request.activity_ids.user_id)
        with self.assertRaisesRegex(AccessError, "you submitted"):
            request.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(AccessError, "you submitted"):
            request.with_user(self.gm).action_reject(reason="x")
        request.with_user(self.gm2).action_approve()
        self.assertEqual(request.state, "approved")

    def test_apr4_concerned_user_cannot_decide(self):
        request = (
            self.env["sales.archive.access.request"]
            .with_user(self.employee)
            .create(
                {
                    "requester_id": self.gm.id,
                    "partner_ids": [(6, 0, self.customer.ids)],
                    "reason": "For the GM",
                }
            )
        )
        request.with_user(self.employee).action_submit()
        with self.assertRaisesRegex(AccessError, "concerns you"):
            request.with_user(self.gm).action_approve()

    def test_apr1_cancel_and_reset(self):
        self.request.action_submit()
        with self.assertRaises(AccessError):
            self.request.with_user(self.salesperson).action_cancel()
        self.request.with_user(self.employee).action_cancel()
        self.assertEqual(self.request.state, "cancelled")
        self.assertFalse(self.request.activity_ids)
        self.request.with_user(self.employee).action_draft()
        self.assertEqual(self.request.state, "draft")
        self.request.write({"reason": "Delivery planning, site B"})
        self.request.action_submit()
        self.request.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            self.request.with_user(self.employee).action_cancel()
        with self.assertRaises(UserError):
            self.request.with_user(self.employee).action_draft()

    def test_apr1_submit_twice_refused(self):
        self.request.action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft"):
            self.request.action_submit()

    def test_apr2_no_approver_refused(self):
        gm_group = self.env.ref("sales_dept_policy.group_general_manager")
        gm_group.sudo().user_ids = [(5, 0, 0)]
        self.env.ref("base.user_admin").sudo().group_ids = [(3, gm_group.id)]
        with self.assertRaisesRegex(UserError, "Nobody can approve"):
            self.request.action_submit()
        self.assertEqual(self.request.state, "draft")
