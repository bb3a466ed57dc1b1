# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestTerritory(SalesPolicyCase):
    """TER-1..4: the territory tree, matching, the manager's reads, out of territory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Territory = cls.env["sales.territory"]
        # the tests do not rely on demo territories
        Territory.search([]).write({"active": False})
        cls.cn = cls.env.ref("base.cn")
        cls.zj = cls.env.ref("base.state_cn_ZJ")
        cls.region_manager = new_test_user(
            cls.env,
            login="sdp_region",
            groups="base.group_user",
            context={"no_reset_password": True},
        )
        cls.region = Territory.create(
            {"name": "SDP East", "code": "SDP-E", "country_id": cls.cn.id}
        )
        cls.province = Territory.create(
            {
                "name": "SDP Zhejiang",
                "code": "SDP-ZJ",
                "parent_id": cls.region.id,
                "country_id": cls.cn.id,
                "state_ids": [(6, 0, cls.zj.ids)],
                "manager_id": cls.region_manager.id,
            }
        )
        cls.city = Territory.create(
            {
                "name": "SDP Hangzhou",
                "code": "SDP-HZ",
                "parent_id": cls.province.id,
                "country_id": cls.cn.id,
                "city_names": "Hangzhou",
                "user_ids": [(6, 0, cls.salesperson.ids)],
            }
        )
        cls.zip_area = Territory.create(
            {
                "name": "SDP Zip 3100",
                "code": "SDP-Z",
                "country_id": cls.cn.id,
                "zip_prefixes": "3100",
            }
        )

    def _reads(self, user, partner):
        return bool(partner.with_user(user).search([("id", "=", partner.id)]))

    def test_ter1_tree(self):
        self.assertEqual(self.city.complete_name, "SDP East / SDP Zhejiang / SDP Hangzhou")
        self.assertIn(
            self.city, self.env["sales.territory"].search([("id", "child_of", self.region.id)])
        )

    def test_ter2_matching_most_specific_wins(self):
        self.customer.write({"country_id": self.cn.id, "state_id": self.zj.id, "city": "Hangzhou"})
        self.assertEqual(self.customer.territory_id, self.city)
        self.assertEqual(self.contact.territory_id, self.city)  # contacts follow
        self.customer.zip = "310012"
        self.assertEqual(self.customer.territory_id, self.zip_area)  # zip beats city
        self.customer.write({"zip": False, "city": "Ningbo"})
        self.assertEqual(self.customer.territory_id, self.province)  # state
        self.customer.write({"state_id": False})
        self.assertEqual(self.customer.territory_id, self.region)  # country
        self.customer.write({"country_id": self.env.ref("base.fr").id})
        self.assertFalse(self.customer.territory_id)  # no match

    def test_ter2_manual_territory_stays(self):
        self.customer.write({"country_id": self.cn.id, "city": "Hangzhou", "state_id": self.zj.id})
        with self.assertRaisesRegex(UserError, "TER-2"):
            self.customer.with_user(self.salesperson).write({"territory_id": self.region.id})
        self.customer.with_user(self.manager).write({"territory_id": self.region.id})
        self.assertTrue(self.customer.territory_manual)
        self.customer.city = "Hangzhou "
        self.assertEqual(self.customer.territory_id, self.region)
        # cleared by hand: follows the address again
        self.customer.with_user(self.manager).write({"territory_id": False})
        self.assertFalse(self.customer.territory_manual)
        self.customer.city = "Hangzhou"
        self.assertEqual(self.customer.territory_id, self.city)

    def test_ter2_new_territory_rematches(self):
        self.other_customer.write({"country_id": self.cn.id, "city": "Wenzhou"})
        self.assertEqual(self.other_customer.territory_id, self.region)
        self.env["sales.territory"].create(
            {"name": "SDP Wenzhou", "code": "SDP-WZ", "country_id": self.cn.id}
        ).write({"city_names": "Wenzhou", "parent_id": self.region.id})
        self.assertEqual(self.other_customer.territory_id.name, "SDP Wenzhou")

    def test_ter4_territory_manager_reads_territory_and_children(self):
        self.customer.write({"country_id": self.cn.id, "state_id": self.zj.id, "city": "Hangzhou"})
        self.other_customer.write({"country_id": self.cn.id, "city": "Suzhou"})  # region only
        self.assertTrue(self._reads(self.region_manager, self.customer))  # child territory
        self.assertTrue(self._reads(self.region_manager, self.contact))
        self.assertFalse(self._reads(self.region_manager, self.other_customer))
        # managing the region opens it too, and giving it up closes it
        self.region.manager_id = self.region_manager
        self.assertTrue(self._reads(self.region_manager, self.other_customer))
        (self.region | self.province).write({"manager_id": False})
        self.assertFalse(self._reads(self.region_manager, self.customer))
        # reading, not writing
        self.province.manager_id = self.region_manager
        with self.assertRaises(AccessError):
            self.customer.with_user(self.region_manager).write({"comment": "x"})

    def test_ter3_out_of_territory(self):
        Territory = self.env["sales.territory"]
        self.customer.write({"country_id": self.cn.id, "state_id": self.zj.id, "city": "Hangzhou"})
        self.other_customer.write({"country_id": self.cn.id, "city": "Suzhou"})
        self.assertFalse(Territory._is_out_of_territory(self.salesperson, self.contact))
        self.assertTrue(Territory._is_out_of_territory(self.salesperson, self.other_customer))
        # a user with no territory is not restricted by TER-3
        self.assertFalse(Territory._is_out_of_territory(self.salesperson2, self.other_customer))
