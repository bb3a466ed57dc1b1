from . import controllers, models, report, wizards


def post_init_hook(env):
    """ARC-5: restrict customer archives for all employees by default.

    Done once at install rather than in data so that an upgrade keeps an
    administrator's choice made in Settings.
    """
    env.ref("base.group_user")._apply_group(env.ref("sales_dept_policy.group_archive_restricted"))


def uninstall_hook(env):
    """VIS-4: the functions of the visit counters' triggers (the triggers go with the
    visits' table)."""
    env["sales.activity.count"]._drop_triggers()
