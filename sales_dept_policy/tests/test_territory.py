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

    # ------------------------------------------------------------------
    # TER-1, TER-2: Chinese addresses
    # ------------------------------------------------------------------
    def _cn_states(self):
        states = {
            code: self.env.ref(f"base.state_cn_{code}", raise_if_not_found=False)
            for code in ("GX", "ZJ", "SH")
        }
        if not all(states.values()):
            self.skipTest("base has no Chinese provinces (base.state_cn_*)")
        return states

    def _partner(self, **address):
        return self.env["res.partner"].create(
            {
                "name": f"SDP CN Customer {address.get('city')}",
                "is_company": True,
                "customer_rank": 1,
                "user_id": self.salesperson.id,
                "country_id": self.cn.id,
                **address,
            }
        )

    def test_ter2_chinese_addresses(self):
        states = self._cn_states()
        Territory = self.env["sales.territory"]
        guangxi = Territory.create(
            {
                "name": "SDP 广西",
                "code": "SDP-GX",
                "country_id": self.cn.id,
                "state_ids": [(6, 0, states["GX"].ids)],
            }
        )
        nanning = Territory.create(
            {
                "name": "SDP 南宁、桂林",
                "code": "SDP-GX-NN",
                "parent_id": guangxi.id,
                "country_id": self.cn.id,
                "state_ids": [(6, 0, states["GX"].ids)],
                "city_names": "南宁市，桂林",
                "user_ids": [(6, 0, self.salesperson.ids)],
            }
        )
        zj_cities = Territory.create(
            {
                "name": "SDP 杭州、宁波",
                "code": "SDP-ZJ-CN",
                "parent_id": self.province.id,
                "country_id": self.cn.id,
                "state_ids": [(6, 0, states["ZJ"].ids)],
                "city_names": "杭州；宁波市\u3000嘉兴",
            }
        )
        shanghai = Territory.create(
            {
                "name": "SDP 上海",
                "code": "SDP-SH",
                "country_id": self.cn.id,
                "state_ids": [(6, 0, states["SH"].ids)],
                "city_names": "上海",
            }
        )
        cases = [
            # Guangxi: with and without 市, on either side
            (states["GX"], "南宁", nanning),
            (states["GX"], "南宁市", nanning),
            (states["GX"], "桂林市", nanning),
            (states["GX"], " 桂林\u3000", nanning),
            (states["GX"], "柳州市", guangxi),  # another city of the province
            # Zhejiang
            (states["ZJ"], "杭州市", zj_cities),
            (states["ZJ"], "宁波", zj_cities),
            (states["ZJ"], "嘉兴市", zj_cities),
            (states["ZJ"], "西湖区", self.province),  # a district is not its city
            (states["ZJ"], "Hangzhou", self.city),  # the Latin name still matches
            # Shanghai
            (states["SH"], "上海市", shanghai),
            (states["SH"], "上海", shanghai),
        ]
        for state, city, territory in cases:
            with self.subTest(city=city):
                partner = self._partner(state_id=state.id, city=city)
                self.assertEqual(partner.territory_id, territory)
        # the same city in another province is not that territory
        self.assertEqual(
            self._partner(state_id=states["ZJ"].id, city="南宁").territory_id, self.province
        )
        # TER-3 on top: 桂林 is the salesperson's, 柳州 is not
        Visit = self.env["sales.visit"].with_user(self.salesperson)
        guilin, liuzhou = (
            self._partner(state_id=states["GX"].id, city=city) for city in ("桂林", "柳州市")
        )
        inside, outside = (
            Visit.create({"partner_id": p.id, "kind": "info", "purpose": "Who buys"})
            for p in (guilin, liuzhou)
        )
        self.assertFalse(inside.out_of_territory)
        self.assertTrue(outside.out_of_territory)

    def test_ter2_province_named_another_way(self):
        """A province recorded twice (base's 广西壮族自治区 and an imported 广西)
        is the same province: the state matches by record or by name."""
        states = self._cn_states()
        short = self.env["res.country.state"].create(
            {"name": "广西", "code": "SDP-GX", "country_id": self.cn.id}
        )
        guangxi = self.env["sales.territory"].create(
            {
                "name": "SDP 广西",
                "code": "SDP-GX",
                "country_id": self.cn.id,
                "state_ids": [(6, 0, states["GX"].ids)],
            }
        )
        self.assertEqual(self._partner(state_id=short.id, city="南宁市").territory_id, guangxi)
        self.assertEqual(
            self._partner(state_id=states["GX"].id, city="南宁市").territory_id, guangxi
        )
        # 浙江 is 浙江省; 江苏 is another province
        zhejiang = self.env["res.country.state"].create(
            {"name": "浙江", "code": "SDP-ZJ", "country_id": self.cn.id}
        )
        self.assertEqual(
            self._partner(state_id=zhejiang.id, city="温州").territory_id, self.province
        )
        jiangsu = self.env["res.country.state"].create(
            {"name": "江苏", "code": "SDP-JS", "country_id": self.cn.id}
        )
        self.assertEqual(self._partner(state_id=jiangsu.id, city="温州").territory_id, self.region)

    def test_ter1_lists_with_chinese_separators_rematch(self):
        partner = self._partner(city="温州市")
        self.assertEqual(partner.territory_id, self.region)
        wenzhou = self.env["sales.territory"].create(
            {"name": "SDP 温州", "code": "SDP-WZ", "country_id": self.cn.id}
        )
        wenzhou.city_names = "台州、温州"
        self.assertEqual(partner.territory_id, wenzhou)
        partner.zip = "３２５０００"  # a full-width zip
        wenzhou.zip_prefixes = "318，325"
        self.assertEqual(partner.territory_id, wenzhou)
        self.zip_area.zip_prefixes = "3250；3100"  # longer prefix wins
        self.assertEqual(partner.territory_id, self.zip_area)
