# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

#: mail.message values a client may not choose when posting on a policy record:
#: who wrote it (the author shown; an e-mail address alone shows nobody else),
#: when, and tracking lines are the server's (APR-2, APR-5).
_FORGEABLE_MESSAGE_VALUES = frozenset(
    {
        "author_id",
        "author_guest_id",
        "date",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "tracking_value_ids",
        "notification_ids",
        "model",
        "res_id",
        "record_name",
    }
)


class SalesPolicyGuard(models.AbstractModel):
    """APR-5: the fields only the policy writes, whoever calls.

    A field that holds a decision (a state, who decided), a rule's result (an
    allowed amount, an "effective" flag) or a record rule's key (the archive
    owner, the grants) is written by the addon only: by its transitions, after
    their checks, through a private method that writes through the parent
    class (skipping the model's guarded ``write``), or as superuser for that one
    write (``sudo()`` keeps the acting user as ``env.user`` and ``write_uid``).
    A client, whatever method it calls and whatever context it sends, reaches
    neither: private methods are not callable over RPC and a client never runs
    as superuser. Nothing here reads the context.

    The guarded fields of a model are its ``_policy_protected_fields`` and every
    read-only field of this addon that is a stored compute without inverse or a
    related field: computed results are never typed in (editable computes, with
    ``readonly=False``, stay editable). Models call
    ``_check_policy_write`` at the top of their ``create`` and ``write``.
    """

    _name = "sales.policy.guard"
    _description = "Sales Policy: Fields Only the Policy Writes"

    #: fields of the model that only the addon's own private paths write
    _policy_protected_fields = frozenset()
    #: whether messages on the model are checked (its ``message_post`` and a
    #: ``mail.message`` created on it): the policy's own threads
    _policy_guard_messages = False

    @api.model
    def _policy_guarded_fields(self):
        cls = self.env.registry[self._name]
        cached = cls.__dict__.get("_policy_guarded_cache")
        if cached is None:
            names = set(self._policy_protected_fields)
            for name, field in self._fields.items():
                if field._module != "sales_dept_policy":
                    continue
                if field.readonly and (
                    field.related or (field.compute and field.store and not field.inverse)
                ):
                    names.add(name)
            cached = frozenset(names)
            cls._policy_guarded_cache = cached
        return cached

    def _without_policy_defaults(self):
        """APR-5: a client's context never defaults a field only the policy writes (a
        ``default_state``, a ``default_decided_by_id``): such keys are dropped before
        the defaults are read (``default_get``), the values the client sends being
        checked by the guard."""
        if self.env.su:
            return self
        guarded = self._policy_guarded_fields()
        context = self.env.context
        kept = {
            key: value
            for key, value in context.items()
            if not (key.startswith("default_") and key[len("default_") :] in guarded)
        }
        if len(kept) == len(context):
            return self
        # keys are dropped, not set to empty (an empty default is a default too): the
        # context is replaced by the same one without them
        return self.with_context(kept)  # pylint: disable=context-overridden

    @api.model
    def default_get(self, fields):
        # APR-5: context defaults enter every create here: none of them may set a
        # field only the policy writes (the fields' own defaults still apply)
        return super(SalesPolicyGuard, self._without_policy_defaults()).default_get(fields)

    def _check_policy_write(self, vals_list, allow_su=True):
        """Refuse values for fields only the policy writes (APR-5).

        ``allow_su``: whether the superuser (the addon's own ``sudo()`` writes, data
        files) may write them through the public ``write``; models whose private
        path writes through the parent class refuse them to everyone.
        """
        if allow_su and self.env.su:
            return
        guarded = self._policy_guarded_fields()
        refused = sorted({name for vals in vals_list for name in vals if name in guarded})
        if refused:
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s are set by the policy itself, never by hand "
                    "(APR-5): use the record's buttons.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"] for name in refused
                    ),
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    @api.model
    def _with_key_defaults(self, vals_list, key_fields):
        """The defaults of the fields making a record's identity (the context's too,
        as far as ``default_get`` keeps them) made explicit in ``vals_list``, so that
        the identity is checked like the values a client sends."""
        defaults = self.default_get(list(key_fields))
        return [
            {**{k: v for k, v in defaults.items() if k not in vals}, **vals} for vals in vals_list
        ]

    def _key_of(self, vals, key_fields, record=None):
        """The values of ``key_fields`` that ``vals`` write (on ``record``, which
        gives those ``vals`` leave out): a many2one as its id, a date as a date."""
        key = []
        for fname in key_fields:
            field = self._fields[fname]
            if fname in vals:
                value = vals[fname]
                if field.type == "date":
                    value = fields.Date.to_date(value)
            elif record:
                value = record[fname].id if field.type == "many2one" else record[fname]
            else:
                value = None
            key.append(value)
        return tuple(key)

    def _check_filed_by_owner(self, vals_list, message):
        """A salesperson files their own records (``user_id``), a sales manager
        files them for the team: decided from who the user is, never from the
        context. ``message`` names the rule."""
        if self.env["res.users"]._sales_policy_current_is_manager():
            return
        if any(vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list):
            raise AccessError(message)

    def _check_unique_keys(self, keys, key_fields, error):
        """One record per key (a salesperson's month, year or period in a company),
        said by name before the database's unique constraint, which stays the last
        guard. ``keys``: ``[(key, record)]``, ``key`` the values of ``key_fields``
        about to be written and ``record`` the one they are written on (empty for a
        new one); ``error(*key)`` returns the exception naming the rule.

        One query for all the keys; every record counts, whether or not the user
        may read it (another company's, say): a lookup of the keys only, nothing of
        those records is shown."""
        seen = set()
        for key, _record in keys:
            if key in seen:
                raise error(*key)
            seen.add(key)
        if not seen:
            return
        domain = Domain.OR(
            Domain([(fname, "=", value) for fname, value in zip(key_fields, key, strict=True)])
            for key in seen
        )
        mine = [record.id for _key, record in keys if record]
        existing = self.sudo().search_fetch(domain & Domain("id", "not in", mine), key_fields)
        for record in existing:
            key = tuple(
                record[fname].id if record._fields[fname].type == "many2one" else record[fname]
                for fname in key_fields
            )
            if key in seen:
                raise error(*key)

    def _check_readable_customers(self, vals_list, fnames=("partner_id",)):
        """ARC-4: a record about a customer (a grade change, a trip, an order, a
        plan line) names only customers whose archive the user reads: it would
        show their grade, terms and territory otherwise."""
        if self.env.su:
            return
        partners = self.env["res.partner"].browse(
            [vals[name] for vals in vals_list for name in fnames if vals.get(name)]
        )
        if partners and partners._filtered_access("read") != partners:
            raise UserError(
                self.env._(
                    "%(model)s names only customers whose archive you read (ARC-4): ask "
                    "for access to the others first (ARC-5).",
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    def _check_policy_message_values(self, values):
        """A message on a policy record is posted as the current user, now (APR-5)."""
        if self.env.su:
            return
        own = self.env.user.partner_id.id
        forged = {
            key
            for key in set(values) & _FORGEABLE_MESSAGE_VALUES
            if values[key] and not (key == "author_id" and values[key] == own)
        }
        if forged:
            raise AccessError(
                self.env._(
                    "A message on %(model)s is posted as yourself, now: %(values)s cannot be "
                    "chosen (APR-5).",
                    model=self.env["ir.model"]._get(self._name).name,
                    values=", ".join(sorted(forged)),
                )
            )
